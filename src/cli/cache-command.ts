/** `ccnet cache [clear]`: what the training cache holds, and emptying it. */
import { parseArgs } from 'node:util';
import { rm } from 'node:fs/promises';
import { checkpointFolder } from '../engine/train/cache-folder';
import { trainingCacheMaxBytes, trainingCacheOf } from '../kernel/training-cache';
import { UsageError, type Command } from './command';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function cacheCommand(cacheDir: () => string, print: (line: string) => void): Command {
  return {
    synopsis: 'ccnet cache [clear] [--json]',
    summary: 'show or clear the training cache (finished trainings that statements restore)',
    details: [
      'Finished trainings are kept under CCNET_CACHE_DIR/trainings, keyed by the dataset files\' content, the',
      'network, width, options, seed, training recipe and backend; running the same statement again restores',
      'them. The cache keeps at most CCNET_TRAINING_CACHE_MB megabytes (default 2048) and removes the least',
      'recently used trainings beyond that.',
      'Unfinished trainings keep a checkpoint of their last epoch under CCNET_CACHE_DIR/checkpoints, from which',
      'the same statement continues; it is removed when the training finishes.',
      '  clear    remove every cached training and checkpoint',
      '  --json   print {folder, entries, bytes, maxBytes} (after clear: what was removed)',
    ].join('\n'),
    async run(args) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
      if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'clear')) throw new UsageError(`ccnet cache takes nothing or clear, not ${positionals.join(' ')}`);
      const cache = trainingCacheOf(cacheDir());
      const clear = positionals[0] === 'clear';
      const usage = clear ? await cache.clear() : await cache.usage();
      if (clear) await rm(checkpointFolder(cacheDir()), { recursive: true, force: true });
      if (values.json) print(JSON.stringify({ folder: cache.folder, ...usage, maxBytes: trainingCacheMaxBytes(), ...(clear ? { cleared: true } : {}) }));
      else if (clear) print(`removed ${usage.entries} cached training${usage.entries === 1 ? '' : 's'} (${mb(usage.bytes)}) from ${cache.folder}, and every checkpoint`);
      else print(`${cache.folder}: ${usage.entries} cached training${usage.entries === 1 ? '' : 's'}, ${mb(usage.bytes)} of at most ${mb(trainingCacheMaxBytes())}`);
      return 0;
    },
  };
}

/** `ccnet worker --queue URL`: a queue worker process for calibrations on a BullMQ queue (src/queue/worker.ts). */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runQueueWorker } from '../queue/worker';
import { UsageError, type Command } from './command';

export function workerCommand(host: { kernelPath: () => string; cacheDir: () => string; log: (line: string) => void }): Command {
  return {
    synopsis: 'ccnet worker --queue redis://HOST:PORT [--map FROM=TO]... [--lock-seconds S]',
    summary: 'train calibration runs from a job queue (BullMQ on Redis), one at a time, until stopped',
    details: [
      'Takes the runs that `calibrate ... queue "URL"` (ccnet calibrate --queue URL) puts on the queue and trains',
      'each in a kernel process of its own, on this machine\'s backend (CCNET_BACKEND). The machine must read the',
      'datasets at the same paths, or give --map. A worker that is killed leaves its run to another worker once',
      'its lock expires. Stop it with Ctrl+C or SIGTERM (the run in progress is interrupted, and the queue tries it again, once, on a worker).',
      '  --queue URL         the Redis server of the queue',
      '  --map FROM=TO       read dataset folders under FROM at TO instead (repeatable)',
      '  --lock-seconds S    how long a run stays locked to a worker that stopped answering (default 30)',
    ].join('\n'),
    async run(args, signal) {
      const { values } = parseArgs({ args, options: { queue: { type: 'string' }, map: { type: 'string', multiple: true }, 'lock-seconds': { type: 'string' } } });
      if (!values.queue) throw new UsageError('give the queue: ccnet worker --queue redis://HOST:PORT');
      const pathMap = (values.map ?? []).map((m): [string, string] => {
        const [from, to] = m.split('=');
        if (!from || !to) throw new UsageError(`--map ${m}: give FROM=TO (folders)`);
        return [resolve(from), resolve(to)];
      });
      const lockSeconds = values['lock-seconds'] === undefined ? 30 : Number(values['lock-seconds']);
      if (!(lockSeconds >= 1)) throw new UsageError('--lock-seconds must be at least 1');
      const controller = new AbortController();
      signal.addEventListener('abort', () => controller.abort(), { once: true });
      process.once('SIGTERM', () => controller.abort());
      await runQueueWorker({ url: values.queue, kernelPath: host.kernelPath(), cacheDir: host.cacheDir(), backend: process.env.CCNET_BACKEND ?? 'auto', pathMap, lockMs: lockSeconds * 1000, signal: controller.signal, log: host.log });
      return 0;
    },
  };
}

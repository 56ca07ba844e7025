// ccnet study: the study statements from the command line, on a dataset folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cliPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

test('ccnet study quantization trains every (fraction, weights) of the plan and prints the study as JSON', async () => {
  requireBuilt();
  const dir = await tempFolder();
  try {
    const { writeSyntheticDataset } = await import('../../../src/engine/data/synthetic');
    await writeSyntheticDataset(join(dir.path, 'cells'), { complexity: 0.3, count: 10, sizePx: 32, seed: 4 });
    const cli = spawnSync(process.execPath, [cliPath, 'study', 'quantization', 'unet', join(dir.path, 'cells'), '--bits', '32,8', '--fraction', '0.5,1', '--epochs', '1', '--alpha', '1/16', '--lr', '0.003', '--json'], { encoding: 'utf8', env: { ...process.env, CCNET_CACHE_DIR: dir.path }, timeout: 300_000 });
    assert.equal(cli.status, 0, cli.stderr);
    const study = JSON.parse(cli.stdout) as { format: string; rows: { fraction: number; bits: number; trainImages: number }[] };
    assert.equal(study.format, 'ccnet-quantization-study');
    // 10 images, 2 held out: 8 training images, half of them at fraction 0.5
    assert.deepEqual(study.rows.map((r) => [r.fraction, r.bits, r.trainImages]), [[0.5, 32, 4], [0.5, 8, 4], [1, 32, 8], [1, 8, 8]]);

    const wrong = spawnSync(process.execPath, [cliPath, 'study', 'pruning', 'unet', join(dir.path, 'cells')], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /samples\|annotation\|quantization.*'pruning' is none of them/);
  } finally {
    await dir.cleanup();
  }
});

// Calibration runs on the real job engine: BullMQ on a redis-server started here on 127.0.0.1,
// two `ccnet worker` processes, one of them killed (SIGKILL) during a run. Every (dataset, alpha,
// seed) run must end in the calibration exactly once, with the numbers of a serial calibration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { KernelClient } from '../../../src/host/client';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { RESULT_JSON_MIME } from '../../../src/protocol/outputs';
import { cliPath, kernelPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

const redisAvailable = spawnSync('redis-server', ['--version']).status === 0;
const DATASETS = ['synthetic q1 complexity 0.2 count 8 size 32 seed 1', 'synthetic q2 complexity 0.5 count 8 size 32 seed 2', 'synthetic q3 complexity 0.8 count 8 size 32 seed 3'];
type Run = { dataset: string; alpha: number; seed: number; f1: number; iou: number; epochsRun: number; host?: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function calibrationOf(events: KernelEvent[]): { runs: Run[] } {
  const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])) as Record<string, unknown>[];
  return json.filter((j) => j.format === 'ccnet-calibration').at(-1) as never;
}

async function waitForRedis(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}

test('a calibration on the BullMQ queue completes every run exactly once when a worker is killed mid-run', { skip: redisAvailable ? false : 'redis-server is not installed (.ci/run installs it)', timeout: 300_000 }, async () => {
  requireBuilt();
  const dir = await tempFolder();
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const workers: ChildProcess[] = [];
  const kernel = new KernelClient({ kernelPath, cacheDir: dir.path, interruptGraceMs: 10_000 });
  try {
    await waitForRedis(port);
    const plan = 'alphas 1, 1/2 epochs 5 base 1/16 lr 0.003 seeds 1, 2';
    const serialEvents: KernelEvent[] = [];
    const serial = await kernel.execute([...DATASETS, `calibrate unet on q1, q2, q3 ${plan} workers 1 as serial`].join('\n'), dir.path, (e) => serialEvents.push(e));
    assert.equal(serial.success, true, JSON.stringify(serial.error));

    for (let i = 0; i < 2; i++) {
      workers.push(spawn(process.execPath, [cliPath, 'worker', '--queue', url, '--lock-seconds', '2'], { env: { ...process.env, CCNET_CACHE_DIR: dir.path }, stdio: ['ignore', 'ignore', 'pipe'] }));
    }
    const victim = workers[0]!;
    let killedDuring: string | undefined;
    const events: KernelEvent[] = [];
    const result = await kernel.execute(`calibrate unet on q1, q2, q3 ${plan} queue "${url}" as queued`, dir.path, (e) => {
      events.push(e);
      if (!killedDuring && e.type === 'progress' && new RegExp(`:${victim.pid}: .*epoch \\d+/5`).test(e.message)) {
        killedDuring = e.message;
        victim.kill('SIGKILL');
      }
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    assert.ok(killedDuring, 'the first worker was killed while it trained a run');

    const a = calibrationOf(serialEvents).runs;
    const b = calibrationOf(events).runs;
    assert.equal(b.length, 12);
    assert.equal(new Set(b.map((r) => `${r.dataset}|${r.alpha}|${r.seed}`)).size, 12, 'every run exactly once');
    const key = (r: Run) => [r.dataset, r.alpha, r.seed, r.f1, r.iou, r.epochsRun];
    assert.deepEqual(b.map(key), a.map(key), 'the same numbers as the serial calibration');
    assert.ok(b.every((r) => typeof r.host === 'string'), 'each run records the worker that trained it');
    assert.ok(b.some((r) => r.host!.endsWith(`:${workers[1]!.pid}`)));
  } finally {
    await kernel.dispose();
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once('exit', r)) : undefined)));
    redis.kill('SIGTERM');
    await dir.cleanup();
  }
});

test('a worker reads dataset folders under another mount with --map FROM=TO', async () => {
  const { mapRoot } = await import('../../../src/queue/worker');
  assert.equal(mapRoot('/work/shared/datasets/isbi2012-em', [['/work/shared', '/mnt/lab']]), '/mnt/lab/datasets/isbi2012-em');
  assert.equal(mapRoot('/work/shared', [['/work/shared/', '/mnt/lab/']]), '/mnt/lab');
  assert.equal(mapRoot('/work/sharedother/x', [['/work/shared', '/mnt/lab']]), '/work/sharedother/x', 'a prefix matches whole folders only');
});

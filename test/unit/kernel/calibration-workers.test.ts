// Parallel calibration: runs trained in worker kernels equal the serial ones, and a worker killed
// mid-run (SIGKILL) fails only its run, which is trained again on a new worker.
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { KernelClient } from '../../../src/host/client';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { kernelPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';
import { RESULT_JSON_MIME } from '../../../src/protocol/outputs';

const DATASETS = ['synthetic w1 complexity 0.2 count 8 size 32 seed 1', 'synthetic w2 complexity 0.5 count 8 size 32 seed 2', 'synthetic w3 complexity 0.8 count 8 size 32 seed 3'];

type Run = { dataset: string; alpha: number; seed: number; f1: number; iou: number; epochsRun: number };

function calibrationOf(events: KernelEvent[]): { runs: Run[]; executions: { workers: number }[] } {
  const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])) as Record<string, unknown>[];
  return json.filter((j) => j.format === 'ccnet-calibration').at(-1) as never;
}

/** Child processes of a process (the worker kernels of a kernel). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

test('a calibration on 2 workers equals the serial one run for run, and survives a worker killed mid-run', async () => {
  requireBuilt();
  const dir = await tempFolder();
  const kernel = new KernelClient({ kernelPath, cacheDir: dir.path, interruptGraceMs: 10_000 });
  try {
    const plan = 'alphas 1, 1/2 epochs 3 base 1/16 lr 0.003 seeds 1, 2';
    const serialEvents: KernelEvent[] = [];
    const serial = await kernel.execute([...DATASETS, `calibrate unet on w1, w2, w3 ${plan} workers 1 as serial`].join('\n'), dir.path, (e) => serialEvents.push(e));
    assert.equal(serial.success, true, JSON.stringify(serial.error));

    const events: KernelEvent[] = [];
    let killed: number | undefined;
    const parallel = kernel.execute(`calibrate unet on w1, w2, w3 ${plan} workers 2 as parallel`, dir.path, (e) => {
      events.push(e);
      // once both workers train, kill one of them
      if (killed === undefined && e.type === 'progress' && /worker 1: .*epoch 2\/3.*worker 2: .*epoch/.test(e.message)) {
        const workers = childrenOf(kernel.pid!).filter((pid) => /kernel\.js/.test(execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' })));
        if (workers.length === 2) {
          killed = workers[0]!;
          process.kill(killed, 'SIGKILL');
        }
      }
    });
    const result = await parallel;
    assert.equal(result.success, true, JSON.stringify(result.error));
    assert.ok(killed !== undefined, 'a worker was killed during a run');
    assert.ok(events.some((e) => e.type === 'progress' && /attempt 2, its worker died/.test(e.message)), 'the killed run was trained again');
    // the run table shows the runs not finished yet: running where and how far, and waiting ones
    const tables = events.flatMap((e) => (e.type === 'update' || e.type === 'output' ? e.output.items.filter((i) => i.mime === 'text/markdown').map((i) => String(i.data)) : [])).filter((t) => t.startsWith('Calibration **parallel**'));
    // (redrawn at most every 2 s, so which moments a table catches depends on the machine's load)
    assert.ok(tables.some((t) => /\| running \| worker [12] \| epoch \d\/3, step/.test(t)), `a running run with its progress: ${tables[1]}`);
    assert.ok(tables.some((t) => /\| running \| worker 1 \|/.test(t)) && tables.some((t) => /\| running \| worker 2 \|/.test(t)), 'both workers shown running');
    assert.ok(tables.some((t) => /\| waiting \| {2}\| {2}\|/.test(t)), 'waiting runs');
    assert.ok(tables.some((t) => /attempt 2 \(its first worker died\)/.test(t)), 'the retried run says why');
    assert.doesNotMatch(tables.at(-1)!, /Not finished/, 'the last table has every run done');

    const a = calibrationOf(serialEvents);
    const b = calibrationOf(events);
    assert.equal(a.runs.length, 12);
    assert.equal(b.runs.length, 12, 'every (dataset, alpha, seed) run exactly once');
    assert.deepEqual(new Set(b.runs.map((r) => `${r.dataset}|${r.alpha}|${r.seed}`)).size, 12);
    const key = (r: Run) => [r.dataset, r.alpha, r.seed, r.f1, r.iou, r.epochsRun];
    assert.deepEqual(b.runs.map(key), a.runs.map(key), 'the same numbers as the serial calibration');
    assert.deepEqual(a.executions.map((x) => x.workers), [1]);
    assert.deepEqual(b.executions.map((x) => x.workers), [2]);
  } finally {
    await kernel.dispose();
    await dir.cleanup();
  }
});

test('study samples trains its base networks on 2 workers and reports what it reports when it trains them itself', async () => {
  requireBuilt();
  const study = 'study samples unet on w1 prune 0, 0.5 r 0.5, 1 seeds 2 epochs 2 alpha 1/16';
  const run = async (workers: number) => {
    const dir = await tempFolder();
    const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
    try {
      const events: KernelEvent[] = [];
      const result = await kernel.execute([DATASETS[0]!, `${study} workers ${workers}`].join('\n'), dir.path, (e) => events.push(e));
      assert.equal(result.success, true, JSON.stringify(result.error));
      const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === 'application/vnd.ccnet.result+json').map((i) => i.data) : [])).at(-1) as { rows: unknown[] };
      return { rows: json.rows, events };
    } finally {
      await kernel.dispose();
      await dir.cleanup();
    }
  };
  const serial = await run(1);
  const parallel = await run(2);
  assert.ok(parallel.events.some((e) => e.type === 'progress' && /base networks on 2 workers/.test(e.message)));
  assert.ok(parallel.events.some((e) => e.type === 'log' && /restored: trained on/.test(e.text)), 'the study restores the bases the workers trained');
  assert.deepEqual(parallel.rows, serial.rows);
});

test('while a calibration runs, the session summary (the dashboard\'s queue view) lists its unfinished runs, and none once it ends', async () => {
  requireBuilt();
  const dir = await tempFolder();
  const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
  try {
    let seen: Promise<Awaited<ReturnType<KernelClient['summary']>>> | undefined;
    const result = await kernel.execute([DATASETS[0]!, DATASETS[1]!, 'calibrate unet on w1, w2 alphas 1, 1/2 epochs 2 base 1/16 lr 0.003 seeds 1 workers 1 as watched'].join('\n'), dir.path, (e) => {
      if (!seen && e.type === 'progress' && /epoch 2\/2/.test(e.message)) seen = kernel.summary();
    });
    assert.equal(result.success, true, JSON.stringify(result.error));
    const during = await seen!;
    assert.equal(during.queues.length, 1);
    const queue = during.queues[0]!;
    assert.equal(queue.calibration, 'watched');
    assert.equal(queue.total, 4);
    assert.equal(queue.on, 'this kernel');
    assert.deepEqual(queue.runs.map((r) => r.state).sort(), ['running', 'waiting', 'waiting', 'waiting'].slice(0, 4 - queue.done).sort());
    assert.equal(queue.runs.find((r) => r.state === 'running')!.where, 'this kernel');
    assert.deepEqual((await kernel.summary()).queues, [], 'no queue once the calibration ended');
  } finally {
    await kernel.dispose();
    await dir.cleanup();
  }
});

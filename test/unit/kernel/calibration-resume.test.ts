// A calibration whose kernel is killed mid-run resumes that run from its last epoch's checkpoint
// when the cell runs again, and records the numbers an uninterrupted calibration records.
import { test } from 'node:test';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { KernelClient } from '../../../src/host/client';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { RESULT_JSON_MIME } from '../../../src/protocol/outputs';
import { kernelPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

const CELL = ['synthetic r1 complexity 0.3 count 8 size 32 seed 1', 'synthetic r2 complexity 0.7 count 8 size 32 seed 2', 'calibrate unet on r1, r2 alphas 1, 1/2 epochs 4 base 1/16 lr 0.003 seeds 1 workers 1 as resumable'].join('\n');

type Run = { dataset: string; alpha: number; seed: number; f1: number; iou: number; epochsRun: number };

function runsOf(events: KernelEvent[]): Run[] {
  const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])) as { format?: string; runs?: Run[] }[];
  return json.filter((j) => j.format === 'ccnet-calibration').at(-1)!.runs!;
}

const textOf = (events: KernelEvent[]) => events.flatMap((e) => (e.type === 'output' ? e.output.items.map((i) => String(i.data)) : e.type === 'log' ? [e.text] : [])).join('\n');

test('a calibration run interrupted by a killed kernel resumes from its checkpoint and records the uninterrupted numbers', async () => {
  requireBuilt();
  const uninterrupted = await tempFolder();
  const interrupted = await tempFolder();
  try {
    const reference = new KernelClient({ kernelPath, cacheDir: uninterrupted.path });
    let expected: Run[];
    try {
      const events: KernelEvent[] = [];
      const result = await reference.execute(CELL, uninterrupted.path, (e) => events.push(e));
      assert.equal(result.success, true, JSON.stringify(result.error));
      expected = runsOf(events);
    } finally {
      await reference.dispose();
    }

    const killed = new KernelClient({ kernelPath, cacheDir: interrupted.path });
    try {
      const events: KernelEvent[] = [];
      const result = await killed.execute(CELL, interrupted.path, (event) => {
        events.push(event);
        // the first run's epochs 1 and 2 are checkpointed once its epoch 3 starts
        if (event.type === 'progress' && /epoch 3\/4/.test(event.message) && killed.pid) process.kill(killed.pid, 'SIGKILL');
      });
      assert.equal(result.success, false, 'the kernel was killed during the run');
    } finally {
      await killed.dispose();
    }

    const again = new KernelClient({ kernelPath, cacheDir: interrupted.path });
    try {
      const events: KernelEvent[] = [];
      const result = await again.execute(CELL, interrupted.path, (e) => events.push(e));
      assert.equal(result.success, true, JSON.stringify(result.error));
      assert.match(textOf(events), /resumed from the checkpoint of epoch 2 of 4/);
      const key = (r: Run) => [r.dataset, r.alpha, r.seed, r.f1, r.iou, r.epochsRun];
      assert.deepEqual(runsOf(events).map(key), expected.map(key));
    } finally {
      await again.dispose();
    }
  } finally {
    await uninterrupted.cleanup();
    await interrupted.cleanup();
  }
});

test('with progress FILE the finished runs are in FILE after every run, and a kernel without the autosave continues from it', async () => {
  requireBuilt();
  const first = await tempFolder();
  try {
    const file = `${first.path}/partial.json`;
    const cell = (extra: string) => ['synthetic r1 complexity 0.3 count 8 size 32 seed 1', 'synthetic r2 complexity 0.7 count 8 size 32 seed 2', `calibrate unet on r1, r2 alphas 1, 1/2 epochs 2 base 1/16 lr 0.003 seeds 1 workers 1 ${extra} as shared`].join('\n');
    const killed = new KernelClient({ kernelPath, cacheDir: first.path });
    const started = new Set<string>();
    try {
      const result = await killed.execute(cell(`progress "${file}"`), first.path, (event) => {
        // once a third run starts (runs are numbered by the plan, and run largest first), two have finished
        const run = event.type === 'progress' ? /run (\d+)\/4/.exec(event.message)?.[1] : undefined;
        if (run) started.add(run);
        if (started.size === 3 && killed.pid) process.kill(killed.pid, 'SIGKILL');
      });
      assert.equal(result.success, false, 'the kernel was killed during the third run');
    } finally {
      await killed.dispose();
    }
    const partial = JSON.parse(readFileSync(file, 'utf8')) as { format: string; runs: Run[] };
    assert.equal(partial.format, 'ccnet-calibration');
    assert.equal(partial.runs.length, 2, 'the two finished runs');
    assert.deepEqual(readdirSync(first.path).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left');

    // without the autosave and the checkpoints, only the file carries the finished runs
    // (the synthetic datasets stay where the cache folder keeps them: calibrations match datasets by folder)
    rmSync(join(first.path, 'calibrations'), { recursive: true, force: true });
    rmSync(join(first.path, 'checkpoints'), { recursive: true, force: true });
    const again = new KernelClient({ kernelPath, cacheDir: first.path });
    try {
      const events: KernelEvent[] = [];
      const result = await again.execute(cell(`resume "${file}"`), first.path, (e) => events.push(e));
      assert.equal(result.success, true, JSON.stringify(result.error));
      assert.match(textOf(events), /2\/4 runs done \(2 kept from an earlier calibration of the same runs\)/);
      const runs = runsOf(events);
      assert.equal(runs.length, 4);
      const key = (r: Run) => [r.dataset, r.alpha, r.seed, r.f1, r.iou];
      for (const kept of partial.runs) assert.ok(runs.some((r) => JSON.stringify(key(r)) === JSON.stringify(key(kept))), `${kept.dataset} alpha ${kept.alpha} is kept as it was`);
    } finally {
      await again.dispose();
    }
  } finally {
    await first.cleanup();
  }
});

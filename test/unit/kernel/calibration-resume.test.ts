// A calibration whose kernel is killed mid-run resumes that run from its last epoch's checkpoint
// when the cell runs again, and records the numbers an uninterrupted calibration records.
import { test } from 'node:test';
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

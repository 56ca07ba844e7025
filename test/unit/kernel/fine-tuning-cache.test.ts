/** The derived models' training steps (prune's fine-tuning, quantization-aware training) restored from the training cache in a new kernel. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelClient } from '../../../src/host/client';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { RESULT_JSON_MIME } from '../../../src/protocol/outputs';
import { kernelPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

interface Run {
  /** Progress messages of training steps, by the step's label prefix. */
  progress: string[];
  text: string;
  f1: Record<string, number>;
}

async function runInNewKernel(cacheDir: string, source: string): Promise<Run> {
  const kernel = new KernelClient({ kernelPath, cacheDir });
  const events: KernelEvent[] = [];
  try {
    const result = await kernel.execute(source, cacheDir, (e) => events.push(e));
    assert.equal(result.success, true, JSON.stringify(result.error));
  } finally {
    await kernel.dispose();
  }
  const f1: Record<string, number> = {};
  for (const e of events) {
    if (e.type !== 'output') continue;
    for (const item of e.output.items) {
      if (item.mime !== RESULT_JSON_MIME) continue;
      const json = item.data as { name?: string; metrics?: { f1?: { mean: number } } };
      if (json.name && json.metrics?.f1) f1[json.name] = json.metrics.f1.mean;
    }
  }
  return {
    progress: events.flatMap((e) => (e.type === 'progress' ? [e.message] : [])),
    text: events.flatMap((e) => (e.type === 'output' ? e.output.items.map((i) => String(i.data)) : [])).join('\n'),
    f1,
  };
}

test('prune and quantization-aware training are restored from the cache in a new kernel, with the same results', async () => {
  requireBuilt();
  const dir = await tempFolder();
  const cell = [
    'synthetic derived count 8 size 32 seed 6',
    'train unet on derived alpha 1/16 epochs 2 as base',
    'prune base method l1 ratio 0.5 finetune 2 as pruned',
    'prune base method magnitude ratio 0.7 finetune 2 as sparse',
    'quantize base bits 4 aware epochs 2 as q4',
  ].join('\n');
  try {
    const first = await runInNewKernel(dir.path, cell);
    for (const label of ['fine-tuning pruned', 'retraining sparse', 'quantization-aware training of q4']) {
      assert.ok(first.progress.some((m) => m.startsWith(`${label}: epoch`)), `the first run trains ${label}`);
    }
    assert.doesNotMatch(first.text, /restored:/);
    const second = await runInNewKernel(dir.path, cell);
    assert.deepEqual(second.progress.filter((m) => /: epoch \d+\/\d+/.test(m)), [], 'no training step in the new kernel');
    for (const label of ['fine-tuning pruned', 'retraining sparse', 'quantization-aware training of q4']) {
      assert.match(second.text, new RegExp(`${label}: restored: trained on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`));
    }
    for (const name of ['pruned', 'sparse', 'q4']) {
      assert.ok(Number.isFinite(first.f1[name]), `${name} has an F1 (${JSON.stringify(first.f1)})`);
      assert.equal(second.f1[name], first.f1[name], `restored ${name} evaluates as the trained one`);
    }
    // another ratio is another step: it trains
    const other = await runInNewKernel(dir.path, cell.split('\n').slice(0, 2).concat('prune base method l1 ratio 0.25 finetune 2 as other').join('\n'));
    assert.ok(other.progress.some((m) => m.startsWith('fine-tuning other: epoch')), 'a new ratio fine-tunes');
  } finally {
    await dir.cleanup();
  }
});

test('compress at a disk budget: its quantization-aware step is restored from the cache in a new kernel', async () => {
  requireBuilt();
  const dir = await tempFolder();
  // 2-bit kernels lose more than 1% of the validation F1 after post-training quantization, so compress runs quantization-aware training
  const cell = ['synthetic tight complexity 0.3 count 16 size 64 seed 8', 'compress unet for tight disk <= 0.05 MB bits 2 epochs 15 as small'].join('\n');
  try {
    const first = await runInNewKernel(dir.path, cell);
    assert.ok(first.progress.some((m) => /2-bit quantization-aware training: epoch/.test(m)), `the first run trains quantization-aware (${first.progress.filter((m) => /epoch 1\//.test(m)).join('; ')})`);
    const second = await runInNewKernel(dir.path, cell);
    assert.deepEqual(second.progress.filter((m) => /: epoch \d+\/\d+/.test(m)), [], 'no training step in the new kernel');
    assert.equal(second.f1.small, first.f1.small, 'the delivered network evaluates as before');
  } finally {
    await dir.cleanup();
  }
});

test('study samples: its prune fine-tunings are restored from the cache in a new kernel, with the same table', async () => {
  requireBuilt();
  const dir = await tempFolder();
  const cell = 'synthetic cells complexity 0.3 count 10 size 32 seed 3\nstudy samples unet on cells prune 0, 0.5 r 0.5, 1 seeds 1 epochs 2 alpha 1/16 workers 1';
  try {
    const first = await runInNewKernel(dir.path, cell);
    assert.ok(first.progress.some((m) => /prune 0\.5: fine-tuning: epoch/.test(m)), 'the first run fine-tunes the pruned networks');
    const second = await runInNewKernel(dir.path, cell);
    assert.deepEqual(second.progress.filter((m) => /: epoch \d+\/\d+/.test(m)), [], 'no training step in the new kernel');
    const table = (text: string) => text.split('\n').filter((line) => line.startsWith('|')).join('\n');
    assert.ok(table(first.text).length > 0);
    assert.equal(table(second.text), table(first.text), 'the same study table');
  } finally {
    await dir.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { lastResult, withKernel } from '../../helpers/kernel';

test('model, train, evaluate, prune and study samples take the patch networks (N_tr in patches)', async () => {
  await withKernel(async (kernel, dir) => {
    const events: KernelEvent[] = [];
    const cell = [
      'synthetic cells complexity 0.3 count 5 size 24',
      'model dccn',
      'train dcnn on cells alpha 1/16 epochs 1 lr 0.002 as small',
      'prune small method l1 ratio 0.5 finetune 1 as pruned',
      'study samples dcnn on cells prune 0, 0.5 r 0.5 seeds 1 epochs 1 alpha 1/16 workers 1',
    ].join('\n');
    const result = await kernel.execute(cell, dir, (e) => events.push(e));
    assert.equal(result.success, true, JSON.stringify(result.error));
    const texts = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === 'text/markdown').map((i) => String(i.data)) : []));
    assert.ok(texts.some((t) => t.includes('| dccn | 1 | 62x62x3 | 4794754 |')), 'model dccn: its RGB patch by default, Table 2\'s total');
    assert.ok(texts.some((t) => /balanced 55x55 patches \(N_p = \d+ in the pool/.test(t)), 'train says it trained on patches');
    const study = lastResult(events) as { rows: { r: number; pruneRatio: number; trainImages: number; trainPatches: number; poolPatches: number; f1: { mean: number } }[] };
    assert.equal(study.rows.length, 2);
    for (const row of study.rows) {
      assert.equal(row.trainPatches, Math.max(1, Math.round(0.5 * row.poolPatches)));
      assert.ok(Number.isFinite(row.f1.mean));
    }
    const failing = await kernel.execute('calibrate dcnn on cells alphas 1, 1/2', dir, () => {});
    assert.equal(failing.success, false);
    assert.match(JSON.stringify(failing.error), /calibrate works with the segmentation networks \(unet, fcn, cumedvision\), not with the patch network dcnn/);
  });
});

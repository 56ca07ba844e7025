import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { lastResult, withKernel } from '../../helpers/kernel';

test('study annotation: random, float and quantized suggestions over rounds, with a standard error over seeds; clauses of the other study refused', async () => {
  await withKernel(async (kernel, dir) => {
    const events: KernelEvent[] = [];
    const source = ['synthetic cells complexity 0.4 count 20 size 32 seed 2', 'study annotation unet on cells labelled 4 suggest 2 rounds 2 seeds 2 bits 4 ensemble 2 epochs 2 alpha 1/16 lr 0.01'].join('\n');
    const result = await kernel.execute(source, dir, (e) => events.push(e));
    assert.equal(result.success, true, JSON.stringify(result.error));
    const json = lastResult(events) as {
      rows: { strategy: string; annotated: number; seeds: number; f1: number; f1StandardError: number }[];
      runs: { seed: number; strategy: string; annotated: number; f1: number }[];
    };
    assert.deepEqual([...new Set(json.rows.map((r) => r.strategy))], ['random', 'suggestive (float)', 'suggestive (4-bit)']);
    assert.deepEqual([...new Set(json.rows.map((r) => r.annotated))], [4, 6, 8]);
    assert.ok(json.rows.every((r) => r.seeds === 2 && Number.isFinite(r.f1)));
    // round 0 is the same training for every strategy (the same 4 images and seed): the same F1
    for (const seed of [1, 2]) {
      const first = json.runs.filter((r) => r.seed === seed && r.annotated === 4).map((r) => r.f1);
      assert.equal(new Set(first).size, 1, JSON.stringify(first));
    }
    // the standard error is the sample standard deviation over the two seeds / sqrt(2), by hand
    const row = json.rows.find((r) => r.strategy === 'random' && r.annotated === 8)!;
    const [a, b] = json.runs.filter((r) => r.strategy === 'random' && r.annotated === 8).map((r) => r.f1);
    assert.ok(Math.abs(row.f1StandardError - Math.abs(a! - b!) / Math.sqrt(2) / Math.sqrt(2)) < 1e-9);
    assert.ok(events.some((e) => e.type === 'output' && e.output.items.some((i) => i.mime === 'application/vnd.vegalite.v5+json')));

    const wrong = await kernel.execute('study annotation unet on cells labelled 4 suggest 2 rounds 1 prune 0.5', dir, () => {});
    assert.match(wrong.error!.message, /study annotation takes no prune: study annotation/);
    const missing = await kernel.execute('study annotation unet on cells labelled 4', dir, () => {});
    assert.match(missing.error!.message, /needs suggest and rounds/);
    const tooMany = await kernel.execute('study annotation unet on cells labelled 10 suggest 5 rounds 3 epochs 1', dir, () => {});
    assert.match(tooMany.error!.message, /= 25 images, but the training split of cells holds 16/);
  });
});

test('study quantization: float and quantization-aware training on shares of the training images, smaller model.onnx at fewer bits', async () => {
  await withKernel(async (kernel, dir) => {
    const events: KernelEvent[] = [];
    const source = ['synthetic cells complexity 0.4 count 16 size 32 seed 3', 'study quantization unet on cells bits 32, 4 fraction 0.5, 1 seeds 2 epochs 2 alpha 1/16 lr 0.01'].join('\n');
    const result = await kernel.execute(source, dir, (e) => events.push(e));
    assert.equal(result.success, true, JSON.stringify(result.error));
    const json = lastResult(events) as {
      rows: { fraction: number; bits: number; trainImages: number; seeds: number; f1: { mean: number; standardError: number }; onnxBytes: number }[];
      runs: { seed: number; fraction: number; bits: number; f1: number }[];
    };
    assert.deepEqual(json.rows.map((r) => [r.fraction, r.bits]), [[0.5, 32], [0.5, 4], [1, 32], [1, 4]]);
    // 16 images, 13 in each seed's training split: round(0.5 x 13) = 7 and 13
    assert.deepEqual(json.rows.map((r) => r.trainImages), [7, 7, 13, 13]);
    const float = json.rows.find((r) => r.bits === 32)!;
    const quantized = json.rows.find((r) => r.bits === 4)!;
    assert.ok(quantized.onnxBytes < float.onnxBytes, `${quantized.onnxBytes} < ${float.onnxBytes}`);
    const [a, b] = json.runs.filter((r) => r.fraction === 1 && r.bits === 4).map((r) => r.f1);
    const row = json.rows.find((r) => r.fraction === 1 && r.bits === 4)!;
    assert.ok(Math.abs(row.f1.mean - (a! + b!) / 2) < 1e-12 && Math.abs(row.f1.standardError - Math.abs(a! - b!) / 2) < 1e-9, 'mean and standard error over the two seeds, by hand');
    const wrong = await kernel.execute('study quantization unet on cells bits 32, 8 fraction 1 labelled 4', dir, () => {});
    assert.match(wrong.error!.message, /study quantization takes no labelled/);
    const bad = await kernel.execute('study quantization unet on cells bits 32, 1 fraction 1', dir, () => {});
    assert.match(bad.error!.message, /bits must be a whole number from 2 to 16, or 32/);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { describeBackend, selectBackend } from '../../../src/engine/backend/select';

test('auto falls back to wasm here and says why the native backends were skipped', async () => {
  const report = await selectBackend('auto');
  assert.equal(report.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(report.skipped.map((s) => s.backend), ['tensorflow-gpu', 'tensorflow']);
  assert.match(report.skipped[0]!.reason, /@tensorflow\/tfjs-node-gpu is not installed/);
  assert.equal(report.wasmSimd, true);
  assert.match(describeBackend(report), /^wasm \(SIMD, 1 thread\) — tensorflow-gpu: not installed; tensorflow: not installed$/);
});

test('an explicit backend that cannot load is a clear error', async () => {
  await assert.rejects(selectBackend('tensorflow'), /backend tensorflow is not available: @tensorflow\/tfjs-node is not installed/);
});

test('cpu can be chosen explicitly', async () => {
  const report = await selectBackend('cpu');
  assert.equal(report.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  await selectBackend('wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

test('an unknown preference is named', async () => {
  await assert.rejects(selectBackend('gpu' as never), /unknown backend 'gpu'; choose one of auto, tensorflow-gpu, tensorflow, wasm, cpu/);
});

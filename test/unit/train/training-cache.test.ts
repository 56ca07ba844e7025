import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import * as tf from '../../../src/engine/tf';
import { TrainingCache, trainingKey } from '../../../src/engine/train/training-cache';
import { tempFolder } from '../../helpers/tmp';

function tinyModel(seed: number): tf.LayersModel {
  const input = tf.input({ shape: [4] });
  const output = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed }) }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

test('a key ignores the order of object keys and changes with any value', () => {
  assert.equal(trainingKey({ a: 1, b: { c: 2, d: [1, 2] } }), trainingKey({ b: { d: [1, 2], c: 2 }, a: 1 }));
  assert.notEqual(trainingKey({ a: 1, b: { c: 2, d: [1, 2] } }), trainingKey({ a: 1, b: { c: 2, d: [2, 1] } }));
  assert.match(trainingKey({}), /^[0-9a-f]{64}$/);
});

test('a stored training comes back with the same weights and record, NaN included', async () => {
  await tf.setBackend('cpu');
  const dir = await tempFolder();
  try {
    const cache = new TrainingCache(dir.path);
    const model = tinyModel(3);
    await cache.store('k1', model, { history: [{ epoch: 1, validationLoss: Number.NaN, ms: 12 }], trainMs: 1234 });
    const restored = await cache.restore<{ history: { validationLoss: number }[]; trainMs: number }>('k1');
    assert.ok(restored);
    assert.ok(Number.isNaN(restored.record.history[0]!.validationLoss));
    assert.equal(restored.record.trainMs, 1234);
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    assert.deepEqual(Array.from((restored.model.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
    assert.equal(await cache.restore('absent'), undefined);
    assert.deepEqual(await readdir(dir.path), ['k1'], 'no staging folder left behind');
  } finally {
    await dir.cleanup();
  }
});

test('the cache evicts the least recently used entries beyond its size, and clears', async () => {
  await tf.setBackend('cpu');
  const dir = await tempFolder();
  try {
    const probe = new TrainingCache(dir.path);
    await probe.store('probe', tinyModel(1), {});
    const entryBytes = (await probe.usage()).bytes;
    await probe.clear();
    // room for two entries, not three
    const cache = new TrainingCache(dir.path, Math.floor(entryBytes * 2.5));
    await cache.store('a', tinyModel(1), {});
    await new Promise((r) => setTimeout(r, 20));
    await cache.store('b', tinyModel(2), {});
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(await cache.restore('a'), 'a is used again, so b is now the least recently used');
    await new Promise((r) => setTimeout(r, 20));
    await cache.store('c', tinyModel(3), {});
    assert.deepEqual((await readdir(dir.path)).sort(), ['a', 'c']);
    const cleared = await cache.clear();
    assert.equal(cleared.entries, 2);
    assert.ok(Math.abs(cleared.bytes - 2 * entryBytes) < 16, `two entries of about ${entryBytes} bytes (layer names may differ by a digit): ${cleared.bytes}`);
    assert.deepEqual(await cache.usage(), { entries: 0, bytes: 0 });
  } finally {
    await dir.cleanup();
  }
});

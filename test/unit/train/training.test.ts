import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import sharp from 'sharp';
import type { SegmentationSample } from '../../../src/engine/data/samples';
import { applyTransform } from '../../../src/engine/train/augment';
import { evaluateModel } from '../../../src/engine/train/evaluate';
import { measureLatency } from '../../../src/engine/train/latency';
import { trainModel } from '../../../src/engine/train/loop';
import { OVERLAY_COLOURS, overlayImage } from '../../../src/engine/train/overlay';
import { loadModel, saveModel } from '../../../src/engine/train/persist';
import { tempFolder } from '../../helpers/tmp';
import { brightSamples } from '../../helpers/samples';

before(async () => {
  await tf.setBackend('cpu');
});

const samples = brightSamples;

function tinyModel(seed = 1): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 1] });
  const hidden = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }).apply(input) as tf.SymbolicTensor;
  const output = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

test('training lowers the loss and reaches a high F1 on an easy task', async () => {
  const model = tinyModel();
  const result = await trainModel(model, samples(10, 1), { epochs: 30, batchSize: 4, learningRate: 0.05, seed: 3, augment: true });
  assert.equal(result.epochsRun, 30);
  assert.ok(result.history.at(-1)!.loss < result.history[0]!.loss * 0.5, JSON.stringify(result.history.map((h) => h.loss)));
  const evaluation = await evaluateModel(model, samples(6, 9));
  assert.ok(evaluation.summary.f1.mean > 0.9, String(evaluation.summary.f1.mean));
  model.dispose();
});

test('the same seed repeats a run exactly on the same backend', async () => {
  const run = async () => {
    const model = tinyModel(5);
    const result = await trainModel(model, samples(8, 2), { epochs: 3, batchSize: 2, learningRate: 0.01, seed: 7 });
    model.dispose();
    return result.history.map((h) => h.loss);
  };
  assert.deepEqual(await run(), await run());
});

test('no tensors leak across steps', async () => {
  const model = tinyModel();
  const counts: number[] = [];
  await trainModel(model, samples(8, 3), { epochs: 4, batchSize: 2, seed: 1, onProgress: (p) => p.kind === 'step' && counts.push(tf.memory().numTensors) });
  assert.equal(counts[counts.length - 1], counts[3]);
  model.dispose();
});

test('cancellation stops within one step and keeps the best weights', async () => {
  const model = tinyModel();
  const abort = new AbortController();
  let steps = 0;
  const result = await trainModel(model, samples(8, 4), {
    epochs: 50,
    batchSize: 2,
    seed: 1,
    signal: abort.signal,
    onProgress: (p) => {
      if (p.kind === 'step' && ++steps === 7) abort.abort();
    },
  });
  assert.equal(result.cancelled, true);
  assert.equal(result.stepsRun, 7);
  assert.match(result.stopReason!, /cancelled at epoch 3, step 1/);
  assert.equal(result.bestEpoch >= 1, true);
  model.dispose();
});

test('a NaN loss stops the run with a clear message', async () => {
  const model = tinyModel();
  const broken = samples(4, 5).map((s) => ({ ...s, image: s.image.map(() => Number.NaN) }));
  const result = await trainModel(model, broken, { epochs: 5, batchSize: 2, seed: 1, validationFraction: 0 });
  assert.match(result.stopReason ?? '', /the loss became NaN at epoch 1, step 1; lower the learning rate \(lr\) or check the data/);
  assert.equal(result.epochsRun, 0);
  model.dispose();
});

test('augmentation flips and rotates image and mask together', () => {
  const sample: SegmentationSample = { id: 'a', widthPx: 2, heightPx: 2, channels: 1, image: Float32Array.from([1, 2, 3, 4]), mask: Uint8Array.from([1, 0, 0, 0]) };
  const flipped = applyTransform(sample, { flipX: true, flipY: false, quarterTurns: 0 });
  assert.deepEqual([...flipped.image], [2, 1, 4, 3]);
  assert.deepEqual([...flipped.mask], [0, 1, 0, 0]);
  const turned = applyTransform(sample, { flipX: false, flipY: false, quarterTurns: 1 });
  // a clockwise quarter turn of [[1,2],[3,4]] is [[3,1],[4,2]]
  assert.deepEqual([...turned.image], [3, 1, 4, 2]);
  assert.deepEqual([...turned.mask], [0, 1, 0, 0]);
});

test('save and load in the TensorFlow.js layers format give identical predictions', async () => {
  const dir = await tempFolder();
  try {
    const model = tinyModel();
    const info = await saveModel(model, dir.path, { network: 'tiny', alpha: 1 });
    assert.ok(info.sizeBytes > info.weightBytes && info.weightBytes === (4 * 9 + 4 + 4 + 1) * 4);
    const loaded = await loadModel(dir.path);
    const input = tf.randomUniform([1, 16, 16, 1], 0, 1, 'float32', 3);
    assert.deepEqual(await (loaded.predict(input) as tf.Tensor).data(), await (model.predict(input) as tf.Tensor).data());
  } finally {
    await dir.cleanup();
  }
});

test('overlay layers have the documented colours at TP, FP and FN pixels', async () => {
  const sample: SegmentationSample = { id: 'o', widthPx: 2, heightPx: 2, channels: 1, image: Float32Array.from([0, 0.5, 1, 0.25]), mask: Uint8Array.from([1, 1, 0, 0]) };
  const overlay = await overlayImage(sample, [0.9, 0.1, 0.8, 0.2]);
  const errors = overlay.layers.find((l) => l.name === 'errors')!;
  const { data } = await sharp(Buffer.from(errors.pngBase64, 'base64')).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([...data.subarray(0, 4)], [...OVERLAY_COLOURS.truePositive, 255]);
  assert.deepEqual([...data.subarray(4, 8)], [...OVERLAY_COLOURS.falseNegative, 255]);
  assert.deepEqual([...data.subarray(8, 12)], [...OVERLAY_COLOURS.falsePositive, 255]);
  assert.equal(data[15], 0, 'true negatives are transparent');
  assert.equal(overlay.metrics!.F1, 2 / 4);
});

test('latency names the backend and reports a median per image', async () => {
  const latency = await measureLatency(tinyModel(), { runs: 5, warmUp: 1, batch: 2 });
  assert.equal(latency.backend, 'cpu');
  assert.ok(latency.medianMsPerImage > 0 && latency.p90MsPerImage >= latency.medianMsPerImage);
});

test('inputs are standardised per image and channel', async () => {
  const { standardise } = await import('../../../src/engine/train/tensors');
  const out = standardise(Float32Array.from([0, 10, 1, 20, 2, 30, 3, 40]), 2);
  // channel 0: 0..3, mean 1.5, population std sqrt(1.25); channel 1: 10..40, mean 25, std sqrt(125)
  assert.ok(Math.abs(out[0]! - -1.5 / Math.sqrt(1.25)) < 1e-6);
  assert.ok(Math.abs(out[1]! - -15 / Math.sqrt(125)) < 1e-6);
  const flat = standardise(Float32Array.from([0.5, 0.5]), 1);
  assert.deepEqual([...flat], [0, 0], 'a flat image does not divide by zero');
});

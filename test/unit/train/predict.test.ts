import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import type { SegmentationSample } from '../../../src/engine/data/samples';
import { evaluateModel } from '../../../src/engine/train/evaluate';
import { featureMapEnergy } from '../../../src/engine/train/feature-energy';
import { trainModel } from '../../../src/engine/train/loop';
import { inputMismatch, predictProbabilityMaps } from '../../../src/engine/train/predict';
import { SeededRandom } from '../../../src/engine/util/random';

before(async () => {
  await tf.setBackend('cpu');
});

/** A model whose output is its (standardised) input: one 1x1 convolution with weight 1 and no bias. */
function identityModel(sizePx: number): tf.LayersModel {
  const input = tf.input({ shape: [sizePx, sizePx, 1] });
  const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1, useBias: false, kernelInitializer: 'ones' });
  return tf.model({ inputs: input, outputs: conv.apply(input) as tf.SymbolicTensor });
}

function randomSample(widthPx: number, heightPx: number, seed: number): SegmentationSample {
  const random = new SeededRandom(seed);
  const image = Float32Array.from({ length: widthPx * heightPx }, () => random.next());
  return { id: `r${seed}`, widthPx, heightPx, channels: 1, image, mask: Uint8Array.from(image, (v) => (v > 0.5 ? 1 : 0)) };
}

test('a large image is predicted tile by tile, each tile standardised alone, overlaps averaged', async () => {
  const sample = randomSample(20, 12, 5);
  const [map] = await predictProbabilityMaps(identityModel(8), [sample], { batchSize: 2 });
  // reference by hand: tiles of 8 start at x = 0, 8, 12 and y = 0, 4
  const sums = new Float64Array(20 * 12);
  const counts = new Float64Array(20 * 12);
  for (const top of [0, 4]) {
    for (const left of [0, 8, 12]) {
      const values: number[] = [];
      for (let y = top; y < top + 8; y++) for (let x = left; x < left + 8; x++) values.push(sample.image[y * 20 + x]!);
      const mean = values.reduce((a, b) => a + b, 0) / 64;
      const std = Math.max(Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / 64), 1 / 255);
      for (let y = top; y < top + 8; y++) {
        for (let x = left; x < left + 8; x++) {
          sums[y * 20 + x]! += (sample.image[y * 20 + x]! - mean) / std;
          counts[y * 20 + x]!++;
        }
      }
    }
  }
  assert.equal(map!.length, 240);
  for (let p = 0; p < 240; p++) assert.ok(Math.abs(map![p]! - sums[p]! / counts[p]!) < 1e-4, `pixel ${p}: ${map![p]} against ${sums[p]! / counts[p]!}`);
  // the middle columns 12..15 are covered by two tiles, columns 0..7 by one
  assert.equal(counts[12], 2);
  assert.equal(counts[0], 1);
});

test('an image of the input size is predicted whole', async () => {
  const sample = randomSample(8, 8, 2);
  const [map] = await predictProbabilityMaps(identityModel(8), [sample]);
  const mean = sample.image.reduce((a, b) => a + b, 0) / 64;
  const std = Math.sqrt(sample.image.reduce((a, b) => a + (b - mean) ** 2, 0) / 64);
  assert.ok(Math.abs(map![0]! - (sample.image[0]! - mean) / std) < 1e-4);
});

test('which images a model takes: its size, or larger ones with the same channels', () => {
  const input = { heightPx: 8, widthPx: 8, channels: 1 };
  assert.equal(inputMismatch(input, [randomSample(8, 8, 1), randomSample(20, 12, 1)]), undefined);
  assert.match(inputMismatch(input, [randomSample(6, 12, 1)])!, /image r1 is 12x6x1, smaller than the model's input 8x8x1/);
  assert.match(inputMismatch({ ...input, channels: 3 }, [randomSample(8, 8, 1)])!, /has 1 channel\(s\), the model takes 3/);
});

test('training on patches: crops of the model input, epochs that cover each image, whole-image evaluation', async () => {
  const images = Array.from({ length: 6 }, (_, i) => randomSample(32, 24, 10 + i));
  const input = tf.input({ shape: [16, 16, 1] });
  const hidden = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
  const output = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(hidden) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  const result = await trainModel(model, images, { epochs: 15, batchSize: 4, learningRate: 0.05, seed: 1, patchPx: 16, validationFraction: 1 / 6 });
  assert.equal(result.patchPx, 16);
  // 5 training images of 32 x 24 give ceil(768 / 256) = 3 crops each: 15 crops, 4 steps of 4
  assert.equal(result.stepsRun, 15 * 4);
  const evaluation = await evaluateModel(model, images);
  assert.equal(evaluation.perImage.length, 6);
  assert.ok(evaluation.summary.f1.mean > 0.9, `F1 ${evaluation.summary.f1.mean}`);
  const energy = await featureMapEnergy(model, images.slice(0, 2));
  // 2 images of 32 x 24 in 16 x 16 tiles: 2 x 2 tiles each, 4 filters per tile
  assert.equal(energy.values.length, 2 * 4 * 4);
  await assert.rejects(trainModel(model, [randomSample(12, 12, 1), ...images], { epochs: 1, patchPx: 16 }), /image r1 is 12x12, smaller than patch 16/);
  model.dispose();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { segmentationLoss, segmentationLossOf } from '../../../src/engine/train/loss';

// p = [0.9, 0.2, 0.6, 0.1], y = [1, 0, 1, 0]
// BCE = -(ln 0.9 + ln 0.8 + ln 0.6 + ln 0.9) / 4 = 0.2361727
// Dice = (2 * 1.5 + 1) / (1.8 + 2 + 1) = 0.8333333, so BCE + Dice loss = 0.2361727 + 0.1666667
const probabilities = [0.9, 0.2, 0.6, 0.1];
const mask = [1, 0, 1, 0];

test('BCE and BCE + soft Dice on plain arrays, by hand', () => {
  assert.ok(Math.abs(segmentationLossOf(probabilities, mask, 'bce') - 0.2361727) < 1e-6);
  assert.ok(Math.abs(segmentationLossOf(probabilities, mask, 'bce+dice') - 0.4028394) < 1e-6);
});

test('the tensor loss equals the array loss', async () => {
  await tf.setBackend('cpu');
  for (const kind of ['bce', 'bce+dice'] as const) {
    const value = tf.tidy(() => segmentationLoss(tf.tensor4d(mask, [1, 2, 2, 1]), tf.tensor4d(probabilities, [1, 2, 2, 1]), kind).dataSync()[0]!);
    assert.ok(Math.abs(value - segmentationLossOf(probabilities, mask, kind)) < 1e-5, `${kind}: ${value}`);
  }
});

test('an all-background prediction of a sparse mask costs the whole Dice term', () => {
  const sparse = Array.from({ length: 100 }, (_, i) => (i < 5 ? 1 : 0));
  const background = new Array(100).fill(0.01);
  const bce = segmentationLossOf(background, sparse, 'bce');
  // Dice = (2 * 0.05 + 1) / (1 + 5 + 1): the loss stays near 1 above BCE however rare the foreground
  assert.ok(Math.abs(segmentationLossOf(background, sparse, 'bce+dice') - bce - (1 - 1.1 / 7)) < 1e-9);
});

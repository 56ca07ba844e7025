import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryCrossEntropy, confusionMatrix, imageMetrics, metricsFromConfusion, summarizeMetrics } from '../../../src/engine/train/metrics';

test('metrics from a confusion matrix computed by hand', () => {
  // TP 6, FP 2, FN 4, TN 88
  const m = metricsFromConfusion({ tp: 6, fp: 2, fn: 4, tn: 88 });
  assert.equal(m.f1, 12 / 18);
  assert.equal(m.iou, 6 / 12);
  assert.equal(m.sensitivity, 6 / 10);
  assert.equal(m.specificity, 88 / 90);
  assert.equal(m.precision, 6 / 8);
  assert.equal(m.accuracy, 94 / 100);
});

test('the confusion matrix thresholds probabilities at 0.5', () => {
  assert.deepEqual(confusionMatrix([0.9, 0.5, 0.49, 0.1, 0.7, 0.2], [1, 1, 1, 0, 0, 0]), { tp: 2, fn: 1, fp: 1, tn: 2 });
});

test('empty truth and empty prediction count as perfect', () => {
  const m = imageMetrics([0.1, 0.2], [0, 0]);
  assert.equal(m.f1, 1);
  assert.equal(m.iou, 1);
  assert.equal(m.sensitivity, 1);
  assert.equal(m.precision, 1);
  assert.equal(m.specificity, 1);
});

test('binary cross-entropy by hand, with clipping', () => {
  assert.ok(Math.abs(binaryCrossEntropy([0.8, 0.3], [1, 0]) - (-(Math.log(0.8) + Math.log(0.7)) / 2)) < 1e-12);
  assert.ok(Math.abs(binaryCrossEntropy([0], [1]) - -Math.log(1e-7)) < 1e-9);
});

test('summaries: mean and sample standard deviation', () => {
  const s = summarizeMetrics([metricsFromConfusion({ tp: 1, fp: 1, fn: 0, tn: 0 }, 0.5), metricsFromConfusion({ tp: 1, fp: 0, fn: 0, tn: 0 }, 0.3)]);
  assert.equal(s.iou.mean, 0.75);
  assert.ok(Math.abs(s.iou.std - Math.sqrt(0.125)) < 1e-12);
  assert.equal(s.crossEntropy.mean, 0.4);
});

// The oracle width and how reproducible it is over seeds, with values worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oracleSplitHalfAgreement, oracleWidth, seedHalves } from '../../../src/engine/ccnet/oracle-stability';
import type { CalibrationRun } from '../../../src/engine/ccnet/calibration-fit';

const run = (dataset: string, alpha: number, seed: number, f1: number): CalibrationRun => ({ dataset, alpha, seed, params: Math.round(1000 * alpha * alpha), f1, iou: f1 / (2 - f1) });

test('seed halves: every split once, floor(n/2) against the rest', () => {
  assert.deepEqual(seedHalves([1, 2, 3, 4]), [[[1, 2], [3, 4]], [[1, 3], [2, 4]], [[1, 4], [2, 3]]]);
  assert.equal(seedHalves([1, 2, 3, 4, 5]).length, 10); // C(5, 2): a 2-seed half never equals a 3-seed one
  assert.deepEqual(seedHalves([5, 3, 4]), [[[3], [4, 5]], [[4], [3, 5]], [[5], [3, 4]]]);
  assert.deepEqual(seedHalves([7]), []);
});

// base F1 0.8 for every seed; alpha 1/2 keeps 0.96 of it with seeds 1 and 2, 0.86 with seeds 3 and 4
const runs = [1, 2, 3, 4].flatMap((seed) => [run('d', 1, seed, 0.8), run('d', 0.5, seed, 0.8 * (seed <= 2 ? 0.96 : 0.86))]);

test('the oracle is the narrowest width whose median within-seed ratio meets the target', () => {
  // all four seeds: median of 0.96, 0.96, 0.86, 0.86 is 0.91
  assert.equal(oracleWidth(runs, 0.9), 0.5);
  assert.equal(oracleWidth(runs, 0.95), 1);
  assert.equal(oracleWidth(runs, 0.9, [3, 4]), 1); // 0.86 alone misses 0.9
  assert.equal(oracleWidth(runs, 0.9, [1, 2]), 0.5);
});

test('split-half agreement: {1,2}|{3,4} disagree at 0.9; {1,3}|{2,4} and {1,4}|{2,3} both have median 0.91 and agree', () => {
  assert.deepEqual(oracleSplitHalfAgreement(runs, 0.9), [{ dataset: 'd', agreement: 2 / 3, splits: 3 }]);
  // at 0.95 no half reaches it except {1,2} (0.96): that split disagrees, the other two agree on the base
  assert.deepEqual(oracleSplitHalfAgreement(runs, 0.95), [{ dataset: 'd', agreement: 2 / 3, splits: 3 }]);
  // at 0.8 every half meets it at alpha 1/2
  assert.deepEqual(oracleSplitHalfAgreement(runs, 0.8), [{ dataset: 'd', agreement: 1, splits: 3 }]);
});

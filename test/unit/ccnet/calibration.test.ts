import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCalibration, fitDegradation, pairedRelative, seedAggregate, type CalibrationRun } from '../../../src/engine/ccnet/calibration-fit';
import { predictDataset, relativeAccuracyAt } from '../../../src/engine/ccnet/predict';
import { candidateAlphas, formatAlpha, selectAlpha, type NetworkSize } from '../../../src/engine/ccnet/select';

// A network whose #params is 10^6 * alpha^2 (every layer scales with alpha in and out), so the
// decades removed at alpha are d = -log10(alpha^2): 0.60206 at 1/2, 1.20412 at 1/4, 1.80618 at 1/8.
const size: NetworkSize = {
  paramsAt: (alpha) => 1e6 * alpha * alpha,
  fileBytesAt: (alpha, bits) => (1e6 * alpha * alpha * bits) / 8,
  activationBytesAt: (alpha, batch, h, w) => 4 * batch * h * w * 100 * alpha,
  baseFilters: [8, 16, 32],
};
const decades = (alpha: number) => -Math.log10(alpha * alpha);

/** Runs where relative F1 = 1 - slope * d^exponent exactly (IoU likewise). */
function runsFor(dataset: string, slopeF1: number, slopeIoU: number, exponent = 1, alphas = [1, 0.5, 0.25, 0.125]): CalibrationRun[] {
  return alphas.map((alpha) => ({ dataset, alpha, seed: 1, params: size.paramsAt(alpha), f1: 0.8 * (1 - slopeF1 * decades(alpha) ** exponent), iou: 0.6 * (1 - slopeIoU * decades(alpha) ** exponent) }));
}

test('per-dataset slopes are recovered from exact curves, seeds are paired and aggregated', () => {
  const a = runsFor('a', 0.1, 0.2);
  // seed 2's split holds harder test images (every run of it 0.75 times seed 1's), seed 3's easier
  // (1.2 times): within each seed the ratio is the exact curve, r(1/2) = 1 - 0.1 * 0.60206 by hand
  const scaled = (factor: number, seed: number) => a.map((r) => ({ ...r, seed, f1: r.f1 * factor, iou: r.iou * factor }));
  const runs = [...a, ...scaled(0.75, 2), ...scaled(1.2, 3)];
  const [fit] = fitDegradation(runs);
  assert.equal(fit!.f1.exponent, 1);
  assert.ok(Math.abs(fit!.f1.slope - 0.1) < 1e-12);
  assert.ok(Math.abs(fit!.iou.slope - 0.2) < 1e-12);
  assert.equal(fit!.points.find((p) => p.alpha === 0.5)!.seeds, 3);
  assert.ok(Math.abs(fit!.points.find((p) => p.alpha === 0.5)!.relativeF1 - (1 - 0.1 * 0.60206)) < 1e-5);
  assert.ok(Math.abs(fit!.f1.rSquared - 1) < 1e-12);
});

test('relative accuracy pairs the runs of a seed: a ratio of medians over seeds would divide one split by another', () => {
  // by hand: base F1 0.9, 0.6, 0.8 (seeds 1-3), alpha 1/2 F1 0.81, 0.57, 0.64: ratios 0.9, 0.95, 0.8, median 0.9;
  // the ratio of the medians would be 0.64 / 0.8 = 0.8
  const run = (alpha: number, seed: number, f1: number): CalibrationRun => ({ dataset: 'p', alpha, seed, params: size.paramsAt(alpha), f1, iou: f1 });
  const runs = [run(1, 1, 0.9), run(1, 2, 0.6), run(1, 3, 0.8), run(0.5, 1, 0.81), run(0.5, 2, 0.57), run(0.5, 3, 0.64)];
  const base = runs.filter((r) => r.alpha === 1);
  assert.ok(Math.abs(pairedRelative(runs.filter((r) => r.alpha === 0.5), base, 'f1') - 0.9) < 1e-12);
  // a seed whose base did not learn (F1 0.05 < 0.1) is left out: its ratio would be 12
  const failedBase = [run(1, 1, 0.9), run(1, 2, 0.05), run(1, 3, 0.8)];
  assert.ok(Math.abs(pairedRelative([run(0.5, 1, 0.81), run(0.5, 2, 0.6), run(0.5, 3, 0.64)], failedBase, 'f1') - 0.85) < 1e-12);
  assert.ok(Number.isNaN(pairedRelative([run(0.5, 4, 0.8)], base, 'f1')), 'no seed in common');
});

test('seeds are aggregated by their median: one failed run of three does not move the point', () => {
  assert.equal(seedAggregate([0.7]), 0.7);
  assert.equal(seedAggregate([0.6, 0.8]), 0.7);
  assert.equal(seedAggregate([0.81, 0.02, 0.79]), 0.79);
  assert.equal(seedAggregate([0.4, 0.1, 0.3, 0.2]), 0.25);
  const a = runsFor('a', 0.1, 0.2);
  // seed 2 of alpha 1/4 collapsed (F1 0.01): the point stays on the curve of seeds 1 and 3
  const runs = [...a, { ...a[2]!, seed: 2, f1: 0.01, iou: 0.005 }, { ...a[2]!, seed: 3 }];
  const [fit] = fitDegradation(runs);
  assert.ok(Math.abs(fit!.points.find((p) => p.alpha === 0.25)!.relativeF1 - (1 - 0.1 * decades(0.25))) < 1e-12);
});

test('the shared exponent follows curves that accelerate at narrow widths', () => {
  // 1 - s d^2 on every dataset: the grid's 2 fits exactly, the paper's straight line does not
  const fit = fitDegradation([...runsFor('a', 0.05, 0.05, 2), ...runsFor('b', 0.1, 0.1, 2)]);
  assert.equal(fit[0]!.f1.exponent, 2);
  assert.ok(Math.abs(fit[1]!.f1.slope - 0.1) < 1e-12);
});

test('a narrower network that measured better gets slope 0, not a negative slope', () => {
  // relative F1 1.02 and 1.03 below the base: least squares would give a negative slope
  const runs: CalibrationRun[] = [1, 0.5, 0.25].map((alpha, i) => ({ dataset: 'up', alpha, seed: 1, params: size.paramsAt(alpha), f1: 0.8 * [1, 1.02, 1.03][i]!, iou: 0.6 }));
  const [fit] = fitDegradation(runs, { f1: 1, iou: 1 });
  assert.equal(fit!.f1.slope, 0);
  // by hand: sum d(1 - r) / sum d^2 = (0.60206 * -0.02 + 1.20412 * -0.03) / (0.60206^2 + 1.20412^2)
  const expected = (0.60206 * -0.02 + 1.20412 * -0.03) / (0.60206 ** 2 + 1.20412 ** 2);
  assert.ok(Math.abs(fit!.f1.unconstrainedSlope - expected) < 1e-5, String(fit!.f1.unconstrainedSlope));
});

test('the measure with the least leave-one-dataset-out error is used; a requested one is used as asked', () => {
  // slopes follow thickness exactly; J is unrelated to them
  const thickness = { a: 2, b: 4, c: 6, d: 8, e: 5 };
  const js = { a: 0.3, b: 0.1, c: 0.25, d: 0.15, e: 0.2 };
  const slope = (t: number) => 0.02 + 0.01 * t;
  const runs = Object.entries(thickness).flatMap(([name, t]) => runsFor(name, slope(t), slope(t)));
  const complexities = Object.fromEntries(Object.keys(thickness).map((n) => [n, { j: js[n as 'a'], b: js[n as 'a'] * 2 + (n === 'c' ? 0.1 : 0), thickness: thickness[n as 'a'] }]));
  const fit = fitCalibration(runs, complexities);
  assert.equal(fit.f1.complexity.measure, 'thickness');
  assert.equal(fit.f1.complexity.chosenBy, 'held-out error');
  assert.ok(fit.f1.complexity.heldOutError < 1e-9);
  assert.ok(Math.abs(fit.f1.complexity.line.slope - 0.01) < 1e-9);
  assert.equal(fit.f1.complexity.candidates[0]!.measure, 'thickness');
  const paper = fitCalibration(runs, complexities, { measure: 'j' });
  assert.equal(paper.f1.complexity.measure, 'j');
  assert.equal(paper.iou.complexity.measure, 'jb');
  assert.equal(paper.f1.complexity.chosenBy, 'request');
  assert.throws(() => fitCalibration(runs, complexities, { measure: 'clutter' }), /do not all have measure 'clutter'/);
});

test('a line that predicts a negative slope inside the calibrated range is refused, with the reason', () => {
  // slopes 0.2, 0.1, 0.0 (clamped from below: measured curves flat) against x = 1, 2, 3, then a dataset at x 2.5:
  // the line 0.3 - 0.1 x predicts 0 at 3; with a dataset at x = 4 measuring slope 0 too it predicts -0.1 there
  const runs = [...runsFor('a', 0.2, 0.2), ...runsFor('b', 0.1, 0.1), ...runsFor('c', 0.02, 0.02), ...runsFor('d', 0.0, 0.0)];
  const complexities = { a: { j: 0.1, b: 1, x: 1 }, b: { j: 0.2, b: 2, x: 2 }, c: { j: 0.15, b: 3, x: 3 }, d: { j: 0.12, b: 1.5, x: 4 } };
  const fit = fitCalibration(runs, complexities);
  const x = fit.f1.complexity.candidates.find((c) => c.measure === 'x')!;
  assert.match(x.refused!, /predicts a negative degradation slope \(-0\.\d+\) at x = 4/);
  assert.notEqual(fit.f1.complexity.measure, 'x');
  assert.throws(() => fitCalibration(runs, complexities, { measure: 'x' }), /measure x cannot predict F1 slopes on this calibration: its line predicts a negative/);
});

test('prediction intervals, by hand, for the mean-slope model', () => {
  // three datasets with slopes 0.1, 0.2, 0.3 and no complexity that tells them apart
  const runs = [...runsFor('a', 0.1, 0.1), ...runsFor('b', 0.2, 0.2), ...runsFor('c', 0.3, 0.3)];
  const complexities = { a: { j: 0.1, b: 0.1 }, b: { j: 0.1, b: 0.1 }, c: { j: 0.1, b: 0.1 } };
  const fit = fitCalibration(runs, complexities);
  assert.equal(fit.f1.complexity.measure, 'none');
  const prediction = predictDataset(fit, { j: 0.1, b: 0.1 });
  assert.ok(Math.abs(prediction.f1.slope - 0.2) < 1e-12);
  // se: the larger of sd(0.1, 0.2, 0.3) * sqrt(1 + 1/3) = 0.115470 and the held-out slope error, where
  // leaving out a, b, c predicts 0.25, 0.2, 0.15: sqrt((0.15^2 + 0 + 0.15^2) / 3) = 0.122474;
  // t(0.95, 2) = 2.919986; the points lie on their curves
  assert.ok(Math.abs(prediction.f1.slopeStdError - Math.sqrt(0.045 / 3)) < 1e-12);
  const at = relativeAccuracyAt(prediction.f1, 1, fit.maxCalibratedDecades);
  const half = 2.919986 * Math.sqrt(0.045 / 3);
  assert.ok(Math.abs(at.value - 0.8) < 1e-12);
  assert.ok(Math.abs(at.low - (0.8 - half)) < 1e-5, String(at.low));
  // the high end stops at 1 + t * se_point = 1 here: a narrower network beats its base only by measurement noise
  assert.ok(Math.abs(at.high - 1) < 1e-9, String(at.high));
  assert.equal(at.widthInside, true);
  assert.deepEqual(relativeAccuracyAt(prediction.f1, 0, fit.maxCalibratedDecades), { value: 1, low: 1, high: 1, widthInside: true });
  // below the narrowest calibrated width (d_max = 1.80618): the half-width grows by d / d_max
  // (slopes ten times smaller, so that the low end stays above 0)
  const gentle = fitCalibration([...runsFor('a', 0.01, 0.01), ...runsFor('b', 0.02, 0.02), ...runsFor('c', 0.03, 0.03)], complexities);
  const beyond = relativeAccuracyAt(predictDataset(gentle, { j: 0.1, b: 0.1 }).f1, 2.4, gentle.maxCalibratedDecades);
  assert.equal(beyond.widthInside, false);
  assert.ok(Math.abs(beyond.value - (1 - 0.02 * 2.4)) < 1e-12);
  const expectedHalf = 2.919986 * 2.4 * Math.sqrt(0.00045 / 3) * (2.4 / 1.80618);
  assert.ok(Math.abs(beyond.value - beyond.low - expectedHalf) < 1e-4, `${beyond.value - beyond.low} vs ${expectedHalf}`);
});

test('complexity outside the calibrated range widens the interval and is flagged', () => {
  const runs = [...runsFor('a', 0.1, 0.1), ...runsFor('b', 0.2, 0.21), ...runsFor('c', 0.3, 0.3), ...runsFor('d', 0.41, 0.4)];
  const complexities = { a: { j: 0.1, b: 1 }, b: { j: 0.2, b: 2 }, c: { j: 0.3, b: 3 }, d: { j: 0.4, b: 4.2 } };
  const fit = fitCalibration(runs, complexities, { measure: 'j' });
  const inside = predictDataset(fit, { j: 0.25, b: 2.5 });
  const outside = predictDataset(fit, { j: 0.55, b: 5 });
  assert.equal(inside.f1.complexityInside, true);
  assert.equal(inside.f1.complexityFactor, 1);
  assert.equal(outside.f1.complexityInside, false);
  // 0.15 beyond a range 0.3 wide: x 1.5
  assert.ok(Math.abs(outside.f1.complexityFactor - 1.5) < 1e-12);
  // the line is not extrapolated: outside the range the slope is the one at the nearest calibrated value (J 0.4)
  assert.ok(Math.abs(outside.f1.slope - predictDataset(fit, { j: 0.4, b: 4.2 }).f1.slope) < 1e-12);
  assert.ok(outside.f1.slopeStdError > predictDataset(fit, { j: 0.4, b: 4.2 }).f1.slopeStdError);
});

test('selection: case 2 among the calibrated widths unless extrapolation is allowed; budgets', () => {
  const runs = [...runsFor('a', 0.05, 0.05, 1, [1, 0.5, 0.25]), ...runsFor('b', 0.06, 0.06, 1, [1, 0.5, 0.25]), ...runsFor('c', 0.07, 0.07, 1, [1, 0.5, 0.25])];
  const complexities = { a: { j: 0.1, b: 1 }, b: { j: 0.2, b: 2 }, c: { j: 0.3, b: 3.1 } };
  const fit = fitCalibration(runs, complexities);
  const prediction = predictDataset(fit, { j: 0.2, b: 2 });
  assert.equal(prediction.smallestCalibratedAlpha, 0.25);
  // slope 0.06: relative F1 0.928 at 1/4 and 0.892 at 1/8 (below the calibrated widths)
  const selection = selectAlpha(size, prediction, { kind: 'accuracy', target: 0.85 });
  assert.equal(selection.alpha, 0.25);
  assert.equal(selection.nextSmaller, null);
  assert.deepEqual(selection.candidates.map((c) => c.alpha), [1, 0.5, 0.25]);
  const extrapolated = selectAlpha(size, prediction, { kind: 'accuracy', target: 0.85 }, { allowExtrapolation: true });
  assert.equal(extrapolated.alpha, 0.125);
  assert.equal(extrapolated.predicted.f1.widthInside, false);
  // case 1a: 1 MB at 8 bits = 10^6 params -> alpha 1; 0.3 MB -> 3e5 params -> alpha 1/2 (2.5e5)
  assert.equal(selectAlpha(size, prediction, { kind: 'disk', budgetMB: 1, bitsPerWeight: 8 }).alpha, 1);
  assert.equal(selectAlpha(size, prediction, { kind: 'disk', budgetMB: 0.3, bitsPerWeight: 8 }).alpha, 0.5);
  const tooSmall = selectAlpha(size, prediction, { kind: 'disk', budgetMB: 0.0001, bitsPerWeight: 32 });
  assert.equal(tooSmall.feasible, false);
  assert.match(tooSmall.reason!, /even alpha = 1\/4 needs 0\.250 MB on disk at 32 bits per weight; the budget is 0\.0001 MB/);
  // case 1b: weights (4 MB * a^2) + activations (4*1*10*10*100*a bytes = 0.04 MB * a)
  const memory = selectAlpha(size, prediction, { kind: 'memory', budgetMB: 1.1, batch: 1, heightPx: 10, widthPx: 10 });
  assert.equal(memory.alpha, 0.5); // 1.0 + 0.02 = 1.02 MB
  assert.ok(Math.abs(memory.memoryMB! - 1.02) < 1e-9);
});

test('candidate alphas', () => {
  assert.deepEqual(candidateAlphas([8, 16], 'powers-of-two'), [1, 0.5, 0.25, 0.125]);
  assert.deepEqual(candidateAlphas([4, 8], 'integer-filters'), [1, 0.75, 0.5, 0.25]);
  assert.equal(formatAlpha(0.125), '1/8');
  assert.equal(formatAlpha(0.75), '0.75');
});

test('calibration errors name what is missing', () => {
  assert.throws(() => fitDegradation(runsFor('a', 0.1, 0.1).filter((r) => r.alpha !== 1)), /dataset a has no run at alpha 1/);
  assert.throws(() => fitCalibration([...runsFor('a', 0.1, 0.1), ...runsFor('b', 0.1, 0.1)], { a: { j: 0.1, b: 0.1 }, b: { j: 0.2, b: 0.1 } }), /at least 3 calibration datasets/);
  assert.throws(() => fitCalibration([...runsFor('a', 0.1, 0.1), ...runsFor('b', 0.2, 0.2), ...runsFor('c', 0.2, 0.2)], { a: { j: 0.1, b: 0.1 }, c: { j: 0.1, b: 0.1 } }), /dataset b has no complexity/);
});

test('a dataset whose base network did not learn is left out of the fits, with the reason', () => {
  const failed = runsFor('c', 0.3, 0.3).map((r) => ({ ...r, f1: r.alpha === 1 ? 0.05 : 0, iou: r.alpha === 1 ? 0.03 : 0 }));
  const complexities = { a: { j: 0.1, b: 0.1 }, b: { j: 0.2, b: 0.3 }, d: { j: 0.3, b: 0.2 }, c: { j: 0.9, b: 0.9 } };
  const fit = fitCalibration([...runsFor('a', 0.1, 0.1), ...runsFor('b', 0.2, 0.25), ...runsFor('d', 0.3, 0.35), ...failed], complexities, { measure: 'j' });
  assert.deepEqual(fit.datasets.map((d) => d.dataset), ['a', 'b', 'd']);
  assert.equal(fit.excluded.length, 1);
  assert.match(fit.excluded[0]!.reason, /reached F1 0\.050, IoU 0\.030, below 0\.1/);
  // the JB normalisation covers the fitted datasets only
  assert.deepEqual(fit.iou.complexity.normalisation!.j, { min: 0.1, max: 0.3 });
  // slopes 0.1, 0.2, 0.3 at J 0.1, 0.2, 0.3: slope = 0 + 1 x J
  assert.ok(Math.abs(fit.f1.complexity.line.slope - 1) < 1e-9);
  assert.throws(() => fitCalibration([...runsFor('a', 0.1, 0.1), ...failed], complexities), /at least 3 calibration datasets \(2 for a line and one more for its prediction interval\), got 1 \(left out: c: the base network/);
});

test('a dataset whose base is under-trained (a narrower width beat it by more than 5%) is left out of the fits', () => {
  // e: alpha 1/2 measured 1.2 times the base's F1; f: 1.04 times (seed noise), kept
  const underTrained = runsFor('e', 0.1, 0.1).map((r) => (r.alpha === 0.5 ? { ...r, f1: 0.8 * 1.2 } : r));
  const noisy = runsFor('f', 0.1, 0.1).map((r) => (r.alpha === 0.5 ? { ...r, f1: 0.8 * 1.04 } : r));
  const complexities = { a: { j: 0.1, b: 0.1 }, b: { j: 0.2, b: 0.3 }, d: { j: 0.3, b: 0.2 }, e: { j: 0.5, b: 0.5 }, f: { j: 0.4, b: 0.4 } };
  const fit = fitCalibration([...runsFor('a', 0.1, 0.1), ...runsFor('b', 0.2, 0.25), ...runsFor('d', 0.3, 0.35), ...underTrained, ...noisy], complexities, { measure: 'j' });
  assert.deepEqual(fit.datasets.map((d) => d.dataset), ['a', 'b', 'd', 'f']);
  assert.equal(fit.excluded.length, 1);
  assert.match(fit.excluded[0]!.reason, /^the base network \(alpha 1, F1 0\.800\) is under-trained: alpha 0\.5 reached 1\.200 times its F1/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCalibration, fitDegradation, type CalibrationRun } from '../../../src/engine/ccnet/calibration-fit';
import { predictSlopes, relativeAccuracyAt } from '../../../src/engine/ccnet/predict';
import { candidateAlphas, formatAlpha, selectAlpha, type NetworkSize } from '../../../src/engine/ccnet/select';

// A network whose #params is 10^6 * alpha^2 (every layer scales with alpha in and out).
const size: NetworkSize = {
  paramsAt: (alpha) => 1e6 * alpha * alpha,
  activationBytesAt: (alpha, batch, h, w) => 4 * batch * h * w * 100 * alpha,
  baseFilters: [8, 16, 32],
};

/** Runs where relative F1 = 1 + slope * (log10 P - 6) exactly. */
function runsFor(dataset: string, slopeF1: number, slopeIoU: number): CalibrationRun[] {
  return [1, 0.5, 0.25, 0.125].map((alpha) => {
    const delta = Math.log10(size.paramsAt(alpha)) - 6;
    return { dataset, alpha, seed: 1, params: size.paramsAt(alpha), f1: 0.8 * (1 + slopeF1 * delta), iou: 0.6 * (1 + slopeIoU * delta) };
  });
}

test('per-dataset slopes are recovered from exact lines, seeds are averaged', () => {
  const runs = [...runsFor('a', 0.1, 0.2), { ...runsFor('a', 0.1, 0.2)[1]!, seed: 2, f1: runsFor('a', 0.1, 0.2)[1]!.f1 + 0.02 }, { ...runsFor('a', 0.1, 0.2)[1]!, seed: 3, f1: runsFor('a', 0.1, 0.2)[1]!.f1 - 0.02 }];
  const [a] = fitDegradation(runs);
  assert.ok(Math.abs(a!.f1.slope - 0.1) < 1e-12);
  assert.ok(Math.abs(a!.iou.slope - 0.2) < 1e-12);
  assert.equal(a!.points.find((p) => p.alpha === 0.5)!.seeds, 3);
  assert.ok(Math.abs(a!.f1.rSquared - 1) < 1e-12);
});

test('slopes against complexity, prediction for a new dataset, and selection', () => {
  // slopeF1 = 0.05 + 0.5 J ; datasets J = 0.1, 0.2, 0.3, 0.4 with small noise on one
  const complexities = { a: { j: 0.1, b: 0.2 }, b: { j: 0.2, b: 0.4 }, c: { j: 0.3, b: 0.3 }, d: { j: 0.4, b: 0.9 } };
  const slope = (j: number) => 0.05 + 0.5 * j;
  const runs = [
    ...runsFor('a', slope(0.1), 0.1),
    ...runsFor('b', slope(0.2) + 0.005, 0.2),
    ...runsFor('c', slope(0.3), 0.15),
    ...runsFor('d', slope(0.4) - 0.005, 0.4),
  ];
  const fit = fitCalibration(runs, complexities);
  assert.ok(Math.abs(fit.f1.fit.slope - 0.5) < 0.05);
  assert.ok(fit.f1.fit.rSquared > 0.98);
  assert.ok(fit.iou.beta >= 0 && fit.iou.beta <= 1);
  const slopes = predictSlopes(fit, { j: 0.25, b: 0.5 });
  assert.ok(Math.abs(slopes.f1.value - slope(0.25)) < 0.01);
  assert.ok(slopes.f1.low < slopes.f1.value && slopes.f1.value < slopes.f1.high);

  // relative F1 at alpha: 1 + s * log10(alpha^2)
  const atQuarter = relativeAccuracyAt(slopes.f1, Math.log10(size.paramsAt(0.25)), 6);
  assert.ok(Math.abs(atQuarter.value - (1 + slopes.f1.value * Math.log10(0.0625))) < 1e-12);
  assert.ok(atQuarter.low <= atQuarter.value && atQuarter.value <= atQuarter.high);

  // case 2: smallest alpha whose predicted relative F1 >= 0.85
  const selection = selectAlpha(size, slopes, { kind: 'accuracy', target: 0.85 });
  const expected = candidateAlphas(size.baseFilters, 'powers-of-two').filter((a) => 1 + slopes.f1.value * Math.log10(a * a) >= 0.85).pop();
  assert.equal(selection.alpha, expected);
  assert.equal(selection.case, '2');
  assert.ok(selection.nextSmaller === null || selection.nextSmaller.predicted.f1.value < 0.85);

  // case 1a: 1 MB at 8 bits = 10^6 params -> alpha 1; 0.3 MB -> 3e5 params -> alpha 1/2 (2.5e5)
  assert.equal(selectAlpha(size, slopes, { kind: 'disk', budgetMB: 1, bitsPerWeight: 8 }).alpha, 1);
  assert.equal(selectAlpha(size, slopes, { kind: 'disk', budgetMB: 0.3, bitsPerWeight: 8 }).alpha, 0.5);
  const tooSmall = selectAlpha(size, slopes, { kind: 'disk', budgetMB: 0.0001, bitsPerWeight: 32 });
  assert.equal(tooSmall.feasible, false);
  assert.match(tooSmall.reason!, /even alpha = 1\/8 needs 0\.0625 MB at 32 bits per weight; the budget is 0\.0001 MB/);

  // case 1b: weights (4 MB * a^2) + activations (4*1*10*10*100*a bytes = 0.04 MB * a)
  const memory = selectAlpha(size, slopes, { kind: 'memory', budgetMB: 1.1, batch: 1, heightPx: 10, widthPx: 10 });
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
  assert.throws(() => fitCalibration(runsFor('a', 0.1, 0.1), { a: { j: 0.1, b: 0.1 } }), /at least 2 calibration datasets/);
  assert.throws(() => fitCalibration([...runsFor('a', 0.1, 0.1), ...runsFor('b', 0.2, 0.2)], { a: { j: 0.1, b: 0.1 } }), /dataset b has no complexity/);
});

test('a dataset whose base network did not learn is left out of the fits, with the reason', () => {
  const failed = runsFor('c', 0.3, 0.3).map((r) => ({ ...r, f1: r.alpha === 1 ? 0.05 : 0, iou: r.alpha === 1 ? 0.03 : 0 }));
  const complexities = { a: { j: 0.1, b: 0.1 }, b: { j: 0.2, b: 0.3 }, d: { j: 0.3, b: 0.2 }, c: { j: 0.9, b: 0.9 } };
  const fit = fitCalibration([...runsFor('a', 0.1, 0.1), ...runsFor('b', 0.2, 0.25), ...runsFor('d', 0.3, 0.35), ...failed], complexities);
  assert.deepEqual(fit.datasets.map((d) => d.dataset), ['a', 'b', 'd']);
  assert.equal(fit.excluded.length, 1);
  assert.match(fit.excluded[0]!.reason, /reached F1 0\.050, IoU 0\.030, below 0\.1/);
  // the normalisation covers the fitted datasets only
  assert.deepEqual(fit.normalisation.j, { min: 0.1, max: 0.3 });
  // slopes 0.1, 0.2, 0.3 at J 0.1, 0.2, 0.3: slope = 0 + 1 x J
  assert.ok(Math.abs(fit.f1.fit.slope - 1) < 1e-9);
  assert.throws(() => fitCalibration([...runsFor('a', 0.1, 0.1), ...failed], complexities), /at least 2 calibration datasets, got 1 \(left out: c: the base network/);
});

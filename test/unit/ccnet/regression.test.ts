import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLine, fitLineThroughPoint, predictWithInterval } from '../../../src/engine/ccnet/regression';

// Anscombe's quartet, set 1 (Anscombe 1973): slope 0.5001, intercept 3.0001, R^2 0.6665.
const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
const y = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];

test("least squares reproduces Anscombe's set 1", () => {
  const fit = fitLine(x, y);
  assert.ok(Math.abs(fit.slope - 0.5001) < 1e-4);
  assert.ok(Math.abs(fit.intercept - 3.0001) < 1e-4);
  assert.ok(Math.abs(fit.rSquared - 0.6665) < 1e-4);
  assert.ok(Math.abs(fit.residualStdError - 1.2366) < 1e-4);
});

test('the 90% prediction interval uses t(0.95, 9) = 1.8331 from the tables', () => {
  const interval = predictWithInterval(fitLine(x, y), 10, 0.9);
  assert.ok(Math.abs(interval.value - 8.0010) < 1e-4);
  assert.ok(Math.abs(interval.low - 5.6235) < 1e-3, String(interval.low));
  assert.ok(Math.abs(interval.high - 10.3785) < 1e-3, String(interval.high));
});

test('a line through a fixed point: slope by hand', () => {
  // points (1, 2), (2, 2.5), (3, 4) through (0, 1): dx = 1,2,3; dy = 1,1.5,3 -> slope = (1+3+9)/(1+4+9) = 13/14
  const fit = fitLineThroughPoint([1, 2, 3], [2, 2.5, 4], 0, 1);
  assert.ok(Math.abs(fit.slope - 13 / 14) < 1e-12);
  assert.equal(fit.intercept, 1);
  assert.equal(fit.degreesOfFreedom, 2);
  assert.equal(fit.anchored, true);
});

test('degenerate input is a clear error', () => {
  assert.throws(() => fitLine([1, 1, 1], [1, 2, 3]), /all x values are equal/);
  assert.throws(() => fitLine([1], [1]), /at least 2 points/);
  assert.throws(() => predictWithInterval(fitLine([1, 2], [1, 2]), 3), /prediction interval needs at least 3 points/);
});

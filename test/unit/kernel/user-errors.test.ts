import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../../../src/kernel/user-errors';
import { FitError } from '../../../src/engine/ccnet/regression';
import { toCellError } from '../../../src/kernel/execute';

test("JavaScript's own RangeErrors are bugs (shown with their stack), the engine's value checks are the user's", () => {
  let overflow: Error | undefined;
  const recurse = (n: number): number => recurse(n + 1) + 1;
  try {
    recurse(0);
  } catch (error) {
    overflow = error as Error;
  }
  assert.equal(overflow!.name, 'RangeError');
  assert.equal(isUserError(overflow!), false);
  let length: Error | undefined;
  try {
    new Array(-1);
  } catch (error) {
    length = error as Error;
  }
  assert.equal(isUserError(length!), false);
  assert.ok(toCellError(length!, { start: 0, end: 1 }).stack, 'a bug keeps its stack in the cell error');
  assert.equal(isUserError(new RangeError('the accuracy target 2 must be above 0 and at most 1')), true);
});

test('a fit that cannot be made is the user\'s to fix and keeps its own class name', () => {
  const error = new FitError('the complexity fit needs at least 3 calibration datasets');
  assert.equal(error.name, 'FitError');
  assert.ok(error instanceof FitError);
  assert.equal(isUserError(error), true);
  assert.equal(toCellError(error, { start: 0, end: 1 }).stack, undefined);
});

// The probe's update of the slope, checked against values worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetProbes, probedSlope, probeError, refineWithProbe } from '../../../src/engine/ccnet/probe';
import type { SlopePrediction } from '../../../src/engine/ccnet/predict';

const close = (actual: number, expected: number, tolerance = 1e-6) => assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not ${expected}`);

test('a dataset probe is the median over seeds of the narrow to base F1 ratio within each seed, with the summed training time', () => {
  const run = (alpha: number, seed: number, f1: number) => ({ dataset: 'a', alpha, seed, params: 1, f1, iou: f1, trainMs: 1000 });
  const [probe] = datasetProbes([run(1, 1, 0.8), run(1, 2, 0.9), run(1, 3, 0.7), run(0.125, 1, 0.4), run(0.125, 2, 0.6), run(0.125, 3, 0.5)]);
  assert.equal(probe!.alpha, 0.125);
  close(probe!.baseF1, 0.8);
  close(probe!.narrowF1, 0.5);
  // by hand: 0.4 / 0.8 = 0.5, 0.6 / 0.9 = 0.6667, 0.5 / 0.7 = 0.7143: median 0.6667
  close(probe!.relativeF1, 0.6666667);
  close(probe!.trainS, 6);
  assert.throws(() => datasetProbes([run(1, 1, 0.8), run(0.5, 1, 0.7), run(0.25, 1, 0.6)]), /alpha 1 and at one narrower width; it has alphas 1, 0.5, 0.25/);
});

test('the probe error is the converged minus the probe relative F1, its mean and sample standard deviation', () => {
  const probe = (dataset: string, relativeF1: number) => ({ dataset, alpha: 0.125, baseF1: 1, narrowF1: relativeF1, relativeF1, trainS: 0 });
  const error = probeError([probe('a', 0.7), probe('b', 0.8), probe('c', 0.5), probe('unfitted', 0.1)], new Map([['a', 0.8], ['b', 0.85], ['c', 0.7]]));
  // errors 0.1, 0.05, 0.2: mean 0.116667, variance (0.016667^2 + 0.066667^2 + 0.083333^2) / 2 = 0.0058333
  close(error.mean, 0.1166667);
  close(error.stdDev, 0.0763763);
  assert.equal(error.n, 3);
  assert.throws(() => probeError([probe('a', 0.7)], new Map([['a', 0.8]])), /at least two/);
});

test('the probed slope combines complexity\'s slope and the probe\'s by their precisions', () => {
  // shape D^p = 1.5^2 = 2.25; probe slope (1 - (0.7 + 0.1)) / 2.25 = 0.0888889, its standard error
  // 0.05 sqrt(1 + 1/4) / 2.25 = 0.0248452 (precision 1620); the prior's precision 1 / 0.05^2 = 400;
  // slope (0.1 * 400 + 0.0888889 * 1620) / 2020 = 0.0910891, standard error 1 / sqrt(2020) = 0.0222497
  const result = probedSlope({ slope: 0.1, slopeStdError: 0.05, exponent: 2 }, { relativeF1: 0.7 }, 1.5, { mean: 0.1, stdDev: 0.05, n: 4 });
  close(result.probe.slope, 0.0888889);
  close(result.probe.stdError, 0.0248452);
  close(result.slope, 0.0910891);
  close(result.stdError, 0.0222497);
  // a probe that reads better than the base gives a negative slope reading; the result stays >= 0
  assert.equal(probedSlope({ slope: 0.01, slopeStdError: 0.05, exponent: 1 }, { relativeF1: 1.3 }, 1, { mean: 0, stdDev: 0.01, n: 4 }).slope, 0);
});

test('a new dataset\'s probe refines its predicted slope, with the probe error of the fitted calibration datasets only', () => {
  const point = (alpha: number, decades: number, relativeF1: number) => ({ alpha, log10Params: 6 - decades, decades, relativeF1, relativeIoU: relativeF1, seeds: 2 });
  const dataset = (name: string, converged: number) => ({ dataset: name, points: [point(1, 0, 1), point(0.25, 1.5, converged)] });
  const fit = { datasets: [dataset('a', 0.8), dataset('b', 0.85), dataset('c', 0.7)] } as never;
  const probe = (name: string, relativeF1: number) => ({ dataset: name, alpha: 0.25, baseF1: 1, narrowF1: relativeF1, relativeF1, trainS: 1 });
  // 'left-out' has a probe but is not among the fitted datasets: it does not enter the probe error
  const probes = [probe('a', 0.7), probe('b', 0.8), probe('c', 0.5), probe('left-out', 0.1)];
  const prior = { metric: 'f1', measure: 'j', x: 0.2, slope: 0.1, slopeStdError: 0.05, exponent: 2 } as SlopePrediction;
  const result = refineWithProbe(prior, fit, probes, probe('new', 0.6));
  // errors 0.1, 0.05, 0.2 (mean 0.116667, s.d. 0.0763763, n 3); probe slope (1 - 0.716667) / 2.25 = 0.125926,
  // s.e. 0.0763763 sqrt(4/3) / 2.25 = 0.0391963; combined with the prior (0.1, s.e. 0.05): 0.116058, s.e. 0.0308476
  assert.equal(result.error.n, 3);
  assert.equal(result.decades, 1.5);
  close(result.refined.probe.slope, 0.1259259);
  close(result.refined.probe.stdError, 0.0391963);
  close(result.prediction.slope, 0.1160578);
  close(result.prediction.slopeStdError, 0.0308476);
  assert.equal(result.prediction.measure, 'j', 'the rest of the prediction is kept');
  assert.throws(() => refineWithProbe(prior, fit, probes, { ...probe('new', 0.6), alpha: 0.5 }), /alpha 0.5 is not a calibrated width of a/);
});

/**
 * Straight-line fits used by CC-Net (Mishra et al., ISBI 2019, section 2.2):
 *
 * - ordinary least squares y = a + b x: slope b = Sxy / Sxx, intercept a = mean(y) - b mean(x),
 *   R^2 = 1 - SSE / SST, residual standard error s = sqrt(SSE / (n - 2));
 * - the prediction interval for a new observation at x0:
 *   y0 +- t(1 - (1 - level) / 2, n - 2) * s * sqrt(1 + 1/n + (x0 - mean(x))^2 / Sxx)
 *   (for a line through a fixed point: n - 1 degrees of freedom, no 1/n term, x measured from
 *   the fixed point);
 * - a line through a fixed point (x0, y0), y = y0 + b (x - x0): b = sum(dx dy) / sum(dx^2) with
 *   dx = x - x0, dy = y - y0; its residual standard error uses n - 1 degrees of freedom (the
 *   fixed point itself is not an observation), R^2 = 1 - SSE / sum(dy^2).
 *   CC-Net's per-dataset lines of relative accuracy against log10(#params) pass through
 *   (log10 #params at alpha = 1, 1) because relative accuracy is 1 there by definition.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface LinearFit {
  slope: number;
  intercept: number;
  rSquared: number;
  /** sqrt(SSE / degrees of freedom); NaN when there are no degrees of freedom left. */
  residualStdError: number;
  n: number;
  degreesOfFreedom: number;
  meanX: number;
  /** Sum of (x - mean x)^2. */
  sxx: number;
  /** Standard error of the slope: s / sqrt(Sxx). */
  slopeStdError: number;
  /** True for a line through a fixed point (meanX is then that point's x). */
  anchored: boolean;
}

/** A fit that cannot be made from the data given (too few points, no spread), with what to do. */
export class FitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FitError';
  }
}

function checkPoints(xs: readonly number[], ys: readonly number[], minimum: number, what: string): void {
  if (xs.length !== ys.length) throw new FitError(`${what}: ${xs.length} x values but ${ys.length} y values`);
  if (xs.length < minimum) throw new FitError(`${what} needs at least ${minimum} points, got ${xs.length}`);
  if ([...xs, ...ys].some((v) => !Number.isFinite(v))) throw new FitError(`${what}: every value must be a finite number`);
}

/** Ordinary least squares y = intercept + slope * x. */
export function fitLine(xs: readonly number[], ys: readonly number[], what = 'a line fit'): LinearFit {
  checkPoints(xs, ys, 2, what);
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - meanX) ** 2;
    sxy += (xs[i]! - meanX) * (ys[i]! - meanY);
    sst += (ys[i]! - meanY) ** 2;
  }
  if (!(sxx > 0)) throw new FitError(`${what}: all x values are equal (${xs[0]}), so no slope can be fitted`);
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - intercept - slope * xs[i]!) ** 2;
  const degreesOfFreedom = n - 2;
  const residualStdError = degreesOfFreedom > 0 ? Math.sqrt(sse / degreesOfFreedom) : Number.NaN;
  return {
    slope,
    intercept,
    rSquared: sst > 0 ? 1 - sse / sst : 1,
    residualStdError,
    n,
    degreesOfFreedom,
    meanX,
    sxx,
    slopeStdError: residualStdError / Math.sqrt(sxx),
    anchored: false,
  };
}

/** Least squares line through the fixed point (x0, y0). */
export function fitLineThroughPoint(xs: readonly number[], ys: readonly number[], x0: number, y0: number, what = 'a line fit'): LinearFit {
  checkPoints(xs, ys, 1, what);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxx += (xs[i]! - x0) ** 2;
    sxy += (xs[i]! - x0) * (ys[i]! - y0);
  }
  if (!(sxx > 0)) throw new FitError(`${what}: every point is at x = ${x0}, so no slope can be fitted`);
  const slope = sxy / sxx;
  // R^2 of a line with a fixed point: 1 - SSE / sum (y - y0)^2 (R's convention for a model
  // without a free intercept, measured from the fixed point).
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < xs.length; i++) {
    sse += (ys[i]! - y0 - slope * (xs[i]! - x0)) ** 2;
    sst += (ys[i]! - y0) ** 2;
  }
  const degreesOfFreedom = xs.length - 1;
  const residualStdError = degreesOfFreedom > 0 ? Math.sqrt(sse / degreesOfFreedom) : Number.NaN;
  return {
    slope,
    intercept: y0 - slope * x0,
    rSquared: sst > 0 ? Math.max(0, 1 - sse / sst) : 1,
    residualStdError,
    n: xs.length,
    degreesOfFreedom,
    meanX: x0,
    sxx,
    slopeStdError: residualStdError / Math.sqrt(sxx),
    anchored: true,
  };
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** The fitted value at x and the prediction interval for a new observation there. */
export function predictWithInterval(fit: LinearFit, x: number, level = 0.9): Interval {
  const value = fit.intercept + fit.slope * x;
  if (!(fit.degreesOfFreedom > 0) || !Number.isFinite(fit.residualStdError)) {
    throw new FitError(`a prediction interval needs at least ${fit.n + 1} points for this fit (it has ${fit.n}); calibrate on more datasets`);
  }
  const t = tQuantile(1 - (1 - level) / 2, fit.degreesOfFreedom);
  // For a line through a fixed point the intercept is known, so the 1/n term drops out.
  const halfWidth = t * fit.residualStdError * Math.sqrt(1 + (fit.anchored ? 0 : 1 / fit.n) + (x - fit.meanX) ** 2 / fit.sxx);
  return { value, low: value - halfWidth, high: value + halfWidth };
}

/**
 * Prediction for a new dataset (CC-Net, section 2.2), with its domain. The dataset's measure
 * value x gives its predicted slope s = max(0, a + b x') (complexity-fit.ts), where x' is x
 * clamped to the calibration datasets' range (the line is not extrapolated: outside the range
 * the slope is that of the nearest calibrated complexity, and the interval widens, below), and
 * its degradation curve (calibration-fit.ts) the relative accuracy at any width:
 *
 *   r(d) = min(1, max(0, 1 - s d^p)),  d = log10 #params(1) - log10 #params(alpha).
 *
 * The 90% interval combines what is uncertain, as independent errors:
 *
 *   half-width = t(0.95, df) * sqrt((d^p * se_s)^2 + se_point^2) * k_width * k_complexity
 *
 * with se_s the standard error of predicting a new dataset's slope from the line (residual
 * error * sqrt(1 + 1/n + (x - mean x)^2 / Sxx); for `none`, the slopes' spread * sqrt(1 + 1/n)),
 * but at least the measure's leave-one-dataset-out slope error (root mean square), since the
 * measure was chosen among many for its held-out record,
 * df the line's degrees of freedom, se_point the spread of points around their own curves, and
 * two factors that widen predictions outside what was calibrated:
 *
 * - k_width = d / d_max for a width narrower than the narrowest calibrated one (d > d_max), else 1;
 * - k_complexity = 1 + (distance of x outside the calibration datasets' range) / (range width),
 *   else 1.
 *
 * At d = 0 (the base itself) the interval is [1, 1]. The low end is at least 0. The high end is
 * at most 1 + t * se_point: a narrower network can measure above its base only by the noise of a
 * measurement, never by a true gain (s >= 0).
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { CalibrationFit, DatasetComplexityInput, MetricFit } from './calibration-fit';
import { measureValue, NO_MEASURE, type Metric } from './complexity-fit';
import type { Interval } from './regression';

export const PREDICTION_LEVEL = 0.9;

export interface SlopePrediction {
  metric: Metric;
  measure: string;
  /** The dataset's value of the measure (0 for 'none'). */
  x: number;
  /** Predicted slope (>= 0). */
  slope: number;
  /** Standard error of a new dataset's slope at x. */
  slopeStdError: number;
  exponent: number;
  pointStdError: number;
  /** t quantile of the interval's level at the line's degrees of freedom. */
  t: number;
  /** Whether x lies in the calibration datasets' range of the measure ('none': always). */
  complexityInside: boolean;
  complexityRange: { min: number; max: number };
  complexityFactor: number;
}

export interface DatasetPrediction {
  f1: SlopePrediction;
  iou: SlopePrediction;
  /** The narrowest calibrated width's decades of parameters removed. */
  maxCalibratedDecades: number;
  smallestCalibratedAlpha: number;
}

export interface RelativeAccuracy extends Interval {
  /** Whether the width is among or between the calibrated widths (not narrower). */
  widthInside: boolean;
}

function slopePrediction(fit: MetricFit, metric: Metric, complexity: DatasetComplexityInput, level: number): SlopePrediction {
  const c = fit.complexity;
  const x = measureValue(c, complexity);
  if (!Number.isFinite(x)) throw new RangeError(`the dataset has no value of measure ${c.measure}, which this calibration predicts ${metric === 'f1' ? 'F1' : 'IoU'} from; measure it with complexity DATASET metrics all`);
  const line = c.line;
  const clamped = c.measure === NO_MEASURE ? x : Math.min(c.range.max, Math.max(c.range.min, x));
  const slope = Math.max(0, line.intercept + line.slope * clamped);
  const leverage = c.measure === NO_MEASURE ? 0 : (x - line.meanX) ** 2 / line.sxx;
  const fromLine = line.residualStdError * Math.sqrt(1 + 1 / line.n + leverage);
  const slopeStdError = Number.isFinite(c.heldOutSlopeRmse) ? Math.max(fromLine, c.heldOutSlopeRmse) : fromLine;
  const span = c.range.max - c.range.min;
  const outside = x < c.range.min ? c.range.min - x : x > c.range.max ? x - c.range.max : 0;
  return {
    metric,
    measure: c.measure,
    x,
    slope,
    slopeStdError,
    exponent: fit.exponent,
    pointStdError: fit.pointStdError,
    t: tQuantile(1 - (1 - level) / 2, line.degreesOfFreedom),
    complexityInside: c.measure === NO_MEASURE || outside === 0,
    complexityRange: c.range,
    complexityFactor: c.measure === NO_MEASURE || outside === 0 ? 1 : 1 + (span > 0 ? outside / span : 1),
  };
}

export function predictDataset(fit: CalibrationFit, complexity: DatasetComplexityInput, level = PREDICTION_LEVEL): DatasetPrediction {
  return {
    f1: slopePrediction(fit.f1, 'f1', complexity, level),
    iou: slopePrediction(fit.iou, 'iou', complexity, level),
    maxCalibratedDecades: fit.maxCalibratedDecades,
    smallestCalibratedAlpha: Math.min(...fit.alphas),
  };
}

/** Predicted relative accuracy with its interval after removing `decades` of parameters. */
export function relativeAccuracyAt(prediction: SlopePrediction, decades: number, maxCalibratedDecades: number): RelativeAccuracy {
  const d = Math.max(0, decades);
  const widthInside = d <= maxCalibratedDecades + 1e-9;
  if (d === 0) return { value: 1, low: 1, high: 1, widthInside };
  const shape = d ** prediction.exponent;
  const value = Math.min(1, Math.max(0, 1 - prediction.slope * shape));
  const widthFactor = widthInside || maxCalibratedDecades <= 0 ? 1 : d / maxCalibratedDecades;
  const halfWidth = prediction.t * Math.sqrt((shape * prediction.slopeStdError) ** 2 + prediction.pointStdError ** 2) * widthFactor * prediction.complexityFactor;
  return { value, low: Math.max(0, value - halfWidth), high: Math.min(value + halfWidth, 1 + prediction.t * prediction.pointStdError), widthInside };
}

/** Warnings about the prediction's domain: complexity outside the calibrated range, width below the calibrated widths. */
export function domainWarnings(prediction: DatasetPrediction, widthInside: boolean, describeAlpha: (alpha: number) => string): string[] {
  const warnings: string[] = [];
  const f1 = prediction.f1;
  if (!f1.complexityInside) {
    warnings.push(`the dataset's ${f1.measure} (${f1.x.toPrecision(4)}) lies outside the calibration datasets' range [${f1.complexityRange.min.toPrecision(4)}, ${f1.complexityRange.max.toPrecision(4)}]: the slope is extrapolated and its interval widened ${f1.complexityFactor.toFixed(2)}x`);
  }
  if (!widthInside) {
    warnings.push(`the width lies below the narrowest calibrated width (alpha ${describeAlpha(prediction.smallestCalibratedAlpha)}): the degradation curve is extrapolated and its interval widened in proportion to the decades of parameters removed beyond it`);
  }
  return warnings;
}

/**
 * Prediction for a new dataset (CC-Net, section 2.2): its complexity gives the predicted slope
 * of each metric's degradation line (with the prediction interval of the complexity fit), and
 * the line through (log10 #params(1), 1) gives the predicted relative accuracy at any width:
 *
 *   r(alpha) = 1 + slope * (log10 #params(alpha) - log10 #params(1)).
 *
 * Since log10 #params(alpha) <= log10 #params(1) for alpha <= 1, the interval's low end comes
 * from the slope's high end and vice versa. Values are clamped to [0, 1]: a smaller network is
 * never predicted to beat the base network.
 */
import { jbValue, type CalibrationFit, type DatasetComplexityInput } from './calibration-fit';
import { predictWithInterval, type Interval } from './regression';

export const PREDICTION_LEVEL = 0.9;

export interface SlopePrediction {
  f1: Interval;
  iou: Interval;
  /** The complexity values used: J for F1, JB (with the fit's beta) for IoU. */
  j: number;
  jb: number;
}

export function predictSlopes(fit: CalibrationFit, complexity: DatasetComplexityInput, level = PREDICTION_LEVEL): SlopePrediction {
  const jb = jbValue(complexity, fit.iou.beta, fit.normalisation);
  return { f1: predictWithInterval(fit.f1.fit, complexity.j, level), iou: predictWithInterval(fit.iou.fit, jb, level), j: complexity.j, jb };
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

/** Predicted relative accuracy at log10(#params), given the base network's log10(#params). */
export function relativeAccuracyAt(slope: Interval, log10Params: number, log10ParamsAtBase: number): Interval {
  const delta = log10Params - log10ParamsAtBase;
  const atLow = 1 + slope.low * delta;
  const atHigh = 1 + slope.high * delta;
  return { value: clamp(1 + slope.value * delta), low: clamp(Math.min(atLow, atHigh)), high: clamp(Math.max(atLow, atHigh)) };
}

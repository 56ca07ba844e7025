/**
 * Step 2 of CC-Net's calibration (Mishra et al., ISBI 2019, section 2.2): the datasets'
 * degradation slopes against a complexity measure, s = a + b x, by ordinary least squares.
 *
 * The paper fixes the measure (J for F1, JB for IoU) by in-sample R^2 over its datasets. Here
 * every measure the calibration datasets have is a candidate (the image measures J, B, energy,
 * Sobel, Scharr, keypoints, clutter; the mask measures; JB with beta on a 0.05 grid by in-sample
 * R^2 and J, B min-max normalised over the fitted datasets; and `none`, the mean slope, which
 * says complexity does not help), and the measure used is the one with the least
 * leave-one-dataset-out error: each calibration dataset in turn is left out, the candidate's
 * line is fitted on the others, the left-out dataset's slope is predicted from its measure, and
 * the error is the mean |predicted - measured| relative accuracy over its narrower widths. The
 * score is the mean over datasets. Ties prefer the paper's measure, then `none`.
 *
 * A line that predicts a negative slope anywhere in the calibrated range of its measure (at
 * the smallest or largest calibration value) is refused, with the reason: it would predict a
 * narrower network to beat a wider one.
 */
import { fitLine, FitError, type LinearFit } from './regression';
import type { DatasetComplexityInput, DatasetDegradation } from './calibration-fit';

export type Metric = 'f1' | 'iou';

/** The slope model without a measure: every dataset has the mean slope. */
export const NO_MEASURE = 'none';
export const BETA_GRID_STEP = 0.05;
/** The paper's measure of each metric. */
export const PAPER_MEASURE: Record<Metric, string> = { f1: 'j', iou: 'jb' };

export interface MeasureScore {
  measure: string;
  /** Leave-one-dataset-out mean |predicted - measured| relative accuracy; null when it cannot be scored. */
  heldOutError: number | null;
  /** Why the measure cannot be used on these datasets. */
  refused?: string;
}

export interface ComplexityFit {
  metric: Metric;
  /** A measure id, 'jb', or 'none' (the mean slope). */
  measure: string;
  /** For 'jb': JB = beta J' + (1 - beta) B' with J', B' min-max normalised over the fitted datasets. */
  beta?: number;
  normalisation?: { j: { min: number; max: number }; b: { min: number; max: number } };
  /** slope = intercept + slope * x; for 'none' a flat line at the mean slope (its interval: a new draw of the slopes). */
  line: LinearFit;
  /** The measure's value of each fitted dataset. */
  valueByDataset: Record<string, number>;
  /** The smallest and largest value among the fitted datasets (the calibrated range). */
  range: { min: number; max: number };
  heldOutError: number;
  /** Root mean square of the held-out slope errors (NaN when it could not be scored). */
  heldOutSlopeRmse: number;
  chosenBy: 'held-out error' | 'request';
  /** Every candidate with its held-out error, best first. */
  candidates: MeasureScore[];
}

/** (value - min) / (max - min); 0.5 when the datasets do not spread the measure. */
export function normalise(value: number, r: { min: number; max: number }): number {
  return r.max > r.min ? (value - r.min) / (r.max - r.min) : 0.5;
}

/** The value of a fit's measure for a dataset's complexity (NaN when the dataset lacks it). */
export function measureValue(fit: Pick<ComplexityFit, 'measure' | 'beta' | 'normalisation'>, complexity: DatasetComplexityInput): number {
  if (fit.measure === NO_MEASURE) return 0;
  if (fit.measure === 'jb') {
    const n = fit.normalisation!;
    return fit.beta! * normalise(complexity.j ?? Number.NaN, n.j) + (1 - fit.beta!) * normalise(complexity.b ?? Number.NaN, n.b);
  }
  const value = complexity[fit.measure];
  return typeof value === 'number' ? value : Number.NaN;
}

/** A flat line at the mean: prediction intervals then use the slopes' spread with n - 1 degrees of freedom. */
function constantLine(ys: readonly number[]): LinearFit {
  const n = ys.length;
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  const sse = ys.reduce((s, y) => s + (y - mean) ** 2, 0);
  const degreesOfFreedom = n - 1;
  const residualStdError = degreesOfFreedom > 0 ? Math.sqrt(sse / degreesOfFreedom) : Number.NaN;
  return { slope: 0, intercept: mean, rSquared: 0, residualStdError, n, degreesOfFreedom, meanX: 0, sxx: Number.POSITIVE_INFINITY, slopeStdError: 0, anchored: false };
}

type Line = Pick<ComplexityFit, 'measure' | 'beta' | 'normalisation' | 'line' | 'valueByDataset' | 'range'>;

const range = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values) });

/** The candidate's line on these datasets (throws FitError when it cannot be fitted). */
export function fitMeasureLine(datasets: readonly DatasetDegradation[], complexities: Record<string, DatasetComplexityInput>, metric: Metric, measure: string): Line {
  const slopes = datasets.map((d) => d[metric].slope);
  const byDataset = (values: number[]) => Object.fromEntries(datasets.map((d, i) => [d.dataset, values[i]!]));
  if (measure === NO_MEASURE) return { measure, line: constantLine(slopes), valueByDataset: byDataset(datasets.map(() => 0)), range: { min: 0, max: 0 } };
  if (measure === 'jb') {
    const normalisation = { j: range(datasets.map((d) => complexities[d.dataset]!.j!)), b: range(datasets.map((d) => complexities[d.dataset]!.b!)) };
    let best: Line | undefined;
    for (let step = 0; step <= Math.round(1 / BETA_GRID_STEP); step++) {
      const beta = Math.round(step * BETA_GRID_STEP * 1e6) / 1e6;
      const values = datasets.map((d) => measureValue({ measure, beta, normalisation }, complexities[d.dataset]!));
      if (values.some((v) => !Number.isFinite(v)) || Math.max(...values) - Math.min(...values) <= 1e-12) continue;
      const line = fitLine(values, slopes, 'the fit of slopes against JB');
      if (!best || line.rSquared > best.line.rSquared + 1e-12) best = { measure, beta, normalisation, line, valueByDataset: byDataset(values), range: range(values) };
    }
    if (!best) throw new FitError('the datasets have the same J and B, so slopes cannot be related to JB');
    return best;
  }
  const values = datasets.map((d) => measureValue({ measure }, complexities[d.dataset]!));
  if (values.some((v) => !Number.isFinite(v))) throw new FitError(`not every calibration dataset has measure ${measure}`);
  return { measure, line: fitLine(values, slopes, `the fit of slopes against ${measure}`), valueByDataset: byDataset(values), range: range(values) };
}

/** Why a line cannot be used: it predicts a negative slope inside the calibrated range. */
export function negativeSlopeProblem(fit: Line): string | undefined {
  for (const x of [fit.range.min, fit.range.max]) {
    const predicted = fit.line.intercept + fit.line.slope * x;
    if (predicted < -1e-12) return `its line predicts a negative degradation slope (${predicted.toPrecision(3)}) at ${fit.measure} = ${x.toPrecision(4)}, inside the calibrated range: a narrower network would be predicted to beat a wider one`;
  }
  return undefined;
}

/** Predicted slope (>= 0) of a dataset from a fitted line. */
export function predictedSlope(fit: Line, complexity: DatasetComplexityInput): number {
  return Math.max(0, fit.line.intercept + fit.line.slope * measureValue(fit, complexity));
}

/** Mean |1 - s d^p - r| over a dataset's narrower widths. */
export function curveError(d: DatasetDegradation, metric: Metric, slope: number): number {
  const points = d.points.slice(1);
  const exponent = d[metric].exponent;
  return points.reduce((s, p) => s + Math.abs(1 - slope * p.decades ** exponent - (metric === 'f1' ? p.relativeF1 : p.relativeIoU)), 0) / points.length;
}

/**
 * Leave-one-dataset-out scores of a candidate measure (null when some fold cannot be fitted):
 * the mean |predicted - measured| relative accuracy, and the root mean square of the held-out
 * slope errors (predicted - fitted slope), which the prediction interval uses as a floor of the
 * slope's standard error: a measure picked for its small in-sample residual would otherwise
 * claim more certainty than its held-out record shows.
 */
export function heldOutScores(datasets: readonly DatasetDegradation[], complexities: Record<string, DatasetComplexityInput>, metric: Metric, measure: string): { error: number; slopeRmse: number } | null {
  if (datasets.length < 3) return null;
  let sum = 0;
  let squares = 0;
  for (const heldOut of datasets) {
    try {
      const line = fitMeasureLine(datasets.filter((d) => d !== heldOut), complexities, metric, measure);
      const slope = predictedSlope(line, complexities[heldOut.dataset]!);
      sum += curveError(heldOut, metric, slope);
      squares += (slope - heldOut[metric].slope) ** 2;
    } catch (error) {
      if (error instanceof FitError) return null;
      throw error;
    }
  }
  return { error: sum / datasets.length, slopeRmse: Math.sqrt(squares / datasets.length) };
}

/** The measures every dataset has (finite), plus 'jb' where J and B are there, plus 'none'. */
export function candidateMeasures(datasets: readonly DatasetDegradation[], complexities: Record<string, DatasetComplexityInput>): string[] {
  const keys = Object.keys(complexities[datasets[0]!.dataset] ?? {}).filter((k) => datasets.every((d) => Number.isFinite(complexities[d.dataset]?.[k])));
  return [...keys, ...(keys.includes('j') && keys.includes('b') ? ['jb'] : []), NO_MEASURE];
}

export function fitComplexity(datasets: readonly DatasetDegradation[], complexities: Record<string, DatasetComplexityInput>, metric: Metric, requested?: string): ComplexityFit {
  const wanted = requested === undefined ? undefined : requested === 'j' ? PAPER_MEASURE[metric] : requested;
  const measures = candidateMeasures(datasets, complexities);
  if (wanted !== undefined && !measures.includes(wanted)) {
    throw new FitError(`the calibration datasets do not all have measure '${wanted}'; measures they have: ${measures.join(', ')}`);
  }
  const scores: (MeasureScore & { line?: Line; slopeRmse?: number })[] = measures.map((measure) => {
    let line: Line;
    try {
      line = fitMeasureLine(datasets, complexities, metric, measure);
    } catch (error) {
      if (error instanceof FitError) return { measure, heldOutError: null, refused: error.message };
      throw error;
    }
    const refused = negativeSlopeProblem(line);
    const scores = heldOutScores(datasets, complexities, metric, measure);
    return { measure, heldOutError: scores?.error ?? null, slopeRmse: scores?.slopeRmse ?? Number.NaN, line, ...(refused ? { refused } : {}) };
  });
  const rank = (s: MeasureScore) => (s.heldOutError === null ? Number.POSITIVE_INFINITY : s.heldOutError);
  const preference = (m: string) => (m === PAPER_MEASURE[metric] ? 0 : m === NO_MEASURE ? 1 : 2);
  scores.sort((a, b) => (Math.abs(rank(a) - rank(b)) > 1e-12 ? rank(a) - rank(b) : preference(a.measure) - preference(b.measure)));
  const usable = scores.filter((s) => !s.refused && s.heldOutError !== null && s.line);
  const chosen = wanted !== undefined ? scores.find((s) => s.measure === wanted)! : usable[0];
  if (!chosen?.line) throw new FitError(`no complexity measure can be fitted to these calibration datasets (${scores.map((s) => `${s.measure}: ${s.refused ?? 'no held-out error'}`).join('; ')})`);
  if (chosen.refused) throw new FitError(`measure ${chosen.measure} cannot predict ${metric === 'f1' ? 'F1' : 'IoU'} slopes on this calibration: ${chosen.refused}; leave the measure to the calibration (it picks the one with the least held-out error)`);
  return {
    metric,
    ...chosen.line,
    heldOutError: chosen.heldOutError ?? Number.NaN,
    heldOutSlopeRmse: chosen.slopeRmse ?? Number.NaN,
    chosenBy: wanted !== undefined ? 'request' : 'held-out error',
    candidates: scores.map(({ measure, heldOutError, refused }) => ({ measure, heldOutError, ...(refused ? { refused } : {}) })),
  };
}

/**
 * CC-Net's calibration fit (Mishra et al., ISBI 2019, section 2.2, Figs. 6 and 7), made so that
 * it cannot say something physically wrong.
 *
 * 1. Per dataset and metric (F1, IoU): relative accuracy r(alpha), paired by seed: for each seed,
 *    metric(alpha) / metric(1) of the two runs of that seed, which share the seed's split (the
 *    same held-out test images), then the median over seeds (pairedRelative). A seed's split of a
 *    20-image dataset holds 4 test images, and how hard those are moves both runs of the seed
 *    together; the ratio within the seed cancels it, where a ratio of medians over seeds would
 *    divide one split's accuracy by another's. Against d = log10 #params(1) - log10 #params(alpha), the decades of
 *    parameters removed. The paper fits a straight line through (0, 1); here
 *
 *        r(d) = 1 - s * d^p,   s >= 0,
 *
 *    with the dataset's degradation slope s (the paper's "degree of degradation": relative
 *    accuracy lost at one decade) fitted by least squares and constrained to s >= 0, so a
 *    narrower network is never predicted to beat a wider one. The shape exponent p >= 1 is shared
 *    by all calibration datasets (p = 1 is the paper's line; p > 1 lets losses accelerate at the
 *    narrowest widths): the value on the grid 1, 1.25, ..., 3 with the least squared error of all
 *    datasets' points (ties: the smaller p).
 * 2. Across datasets: slopes against a complexity measure (complexity-fit.ts), chosen by
 *    leave-one-dataset-out error among every measure the calibration datasets have.
 * 3. A dataset whose base network (alpha 1) did not learn (F1 or IoU below
 *    MINIMUM_BASE_ACCURACY) has no meaningful relative accuracy: it is left out of both fits and
 *    listed in `excluded` with the reason, so one failed dataset does not void the calibration.
 *    So is a dataset whose base is under-trained: a narrower width measured an F1 more than
 *    UNDER_TRAINED_RATIO times the base's (the rule measured.ts applies to a compression), since
 *    its ratios then say how far the base was from converging, not how width limits accuracy.
 */
import { fitComplexity, type ComplexityFit, type Metric } from './complexity-fit';
import { FitError } from './regression';

export interface CalibrationRun {
  dataset: string;
  alpha: number;
  seed: number;
  params: number;
  f1: number;
  iou: number;
}

/** A dataset's complexity measures by id (at least j and b; more when measured). */
export type DatasetComplexityInput = Record<string, number>;

/** A dataset's degradation curve r(d) = 1 - slope * d^exponent of one metric. */
export interface DegradationCurve {
  /** >= 0; relative accuracy lost at one decade of parameters removed. */
  slope: number;
  /** The least-squares slope before the constraint (negative: the narrower widths measured better). */
  unconstrainedSlope: number;
  exponent: number;
  /** 1 - SSE / sum (1 - r)^2 over the non-base points (0 when the curve explains nothing). */
  rSquared: number;
  /** Sum of squared residuals of the non-base points. */
  residualSS: number;
  n: number;
}

export interface DegradationPoint {
  alpha: number;
  log10Params: number;
  /** log10 #params(1) - log10 #params(alpha). */
  decades: number;
  relativeF1: number;
  relativeIoU: number;
  seeds: number;
}

export interface DatasetDegradation {
  dataset: string;
  baseF1: number;
  baseIoU: number;
  log10ParamsAtBase: number;
  /** Averaged over seeds: one point per alpha, widest first. */
  points: DegradationPoint[];
  f1: DegradationCurve;
  iou: DegradationCurve;
}

export interface MetricFit {
  exponent: number;
  /**
   * Standard deviation of a point around its own dataset's curve (pooled over datasets,
   * sqrt(SSE / (points - datasets))): what a prediction is off by even when the slope is right
   * (seed noise, curvature the curve does not follow).
   */
  pointStdError: number;
  complexity: ComplexityFit;
}

export interface CalibrationFit {
  datasets: DatasetDegradation[];
  f1: MetricFit;
  iou: MetricFit;
  /** Calibration datasets left out of the fits, with the reason. */
  excluded: { dataset: string; reason: string }[];
  /** The calibrated widths (relative to the base), widest first. */
  alphas: number[];
  /** The most decades of parameters removed at a calibrated width (the narrowest's). */
  maxCalibratedDecades: number;
}

export interface FitOptions {
  /** Force the complexity measure of the F1 fit ('j': the paper's J for F1 and JB for IoU). */
  measure?: string;
}

export const EXPONENT_GRID = [1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3];
/** A narrower width's F1 above this multiple of the base's means the base is under-trained. */
export const UNDER_TRAINED_RATIO = 1.05;
/** Base accuracy (F1 and IoU at alpha 1) below which a dataset is left out of the fits. */
export const MINIMUM_BASE_ACCURACY = 0.1;

/** Datasets whose base network reached F1 or IoU below MINIMUM_BASE_ACCURACY (over seeds as in seedAggregate). */
export function datasetsWithFailedBase(runs: readonly CalibrationRun[]): { dataset: string; reason: string }[] {
  const names = [...new Set(runs.map((r) => r.dataset))];
  return names.flatMap((dataset) => {
    const base = runs.filter((r) => r.dataset === dataset && r.alpha === 1);
    if (base.length === 0) return [];
    const f1 = seedAggregate(base.map((r) => r.f1));
    const iou = seedAggregate(base.map((r) => r.iou));
    if (f1 >= MINIMUM_BASE_ACCURACY && iou >= MINIMUM_BASE_ACCURACY) return [];
    return [{ dataset, reason: `the base network (alpha 1) reached F1 ${f1.toFixed(3)}, IoU ${iou.toFixed(3)}, below ${MINIMUM_BASE_ACCURACY}: it did not learn this dataset, so its relative accuracy means nothing (train longer, at a larger size, or check the masks)` }];
  });
}

/** The least-squares s >= 0 of r = 1 - s d^p over the non-base points. */
export function fitCurve(points: readonly { decades: number; relative: number }[], exponent: number): DegradationCurve {
  let sdd = 0;
  let sdl = 0;
  let sll = 0;
  for (const p of points) {
    const x = p.decades ** exponent;
    sdd += x * x;
    sdl += x * (1 - p.relative);
    sll += (1 - p.relative) ** 2;
  }
  if (!(sdd > 0)) throw new FitError('a degradation curve needs a point narrower than the base');
  const unconstrainedSlope = sdl / sdd;
  const slope = Math.max(0, unconstrainedSlope);
  let residualSS = 0;
  for (const p of points) residualSS += (p.relative - (1 - slope * p.decades ** exponent)) ** 2;
  return { slope, unconstrainedSlope, exponent, rSquared: sll > 0 ? Math.max(0, 1 - residualSS / sll) : 1, residualSS, n: points.length };
}

/**
 * The value of a (dataset, alpha) over its seeds: the median (the mean of the two middle values
 * for an even count, so two seeds give their mean). A run that failed (collapsed to a sliver of
 * foreground, or stopped by early stopping before it learned) is not seed noise; with three or
 * more seeds the median keeps one such run from moving the point, where the mean would carry it
 * into every ratio of the dataset.
 */
export function seedAggregate(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Relative accuracy of runs at a width against the base runs, paired by seed: the median
 * (seedAggregate) over the seeds that have both runs of metric(run) / metric(base run), leaving
 * out seeds whose base reached less than MINIMUM_BASE_ACCURACY (that base did not learn, and its
 * ratios would be huge or infinite). NaN when no seed pairs.
 */
export function pairedRelative(runs: readonly CalibrationRun[], baseRuns: readonly CalibrationRun[], metric: Metric): number {
  const ratios = runs.flatMap((run) => {
    const base = baseRuns.find((b) => b.seed === run.seed);
    return base && base[metric] >= MINIMUM_BASE_ACCURACY ? [run[metric] / base[metric]] : [];
  });
  return ratios.length ? seedAggregate(ratios) : Number.NaN;
}

/** Seed-aggregated points of each dataset (relative to its base, paired by seed), widest first. */
export function degradationPoints(runs: readonly CalibrationRun[]): Omit<DatasetDegradation, 'f1' | 'iou'>[] {
  const byDataset = new Map<string, CalibrationRun[]>();
  for (const run of runs) byDataset.set(run.dataset, [...(byDataset.get(run.dataset) ?? []), run]);
  return [...byDataset].map(([dataset, datasetRuns]) => {
    const byAlpha = new Map<number, CalibrationRun[]>();
    for (const run of datasetRuns) byAlpha.set(run.alpha, [...(byAlpha.get(run.alpha) ?? []), run]);
    const baseRuns = byAlpha.get(1);
    if (!baseRuns) throw new FitError(`dataset ${dataset} has no run at alpha 1; the relative accuracy needs the base network's accuracy`);
    const base = { params: baseRuns[0]!.params, f1: seedAggregate(baseRuns.map((r) => r.f1)), iou: seedAggregate(baseRuns.map((r) => r.iou)) };
    if (!(base.f1 > 0) || !(base.iou > 0)) {
      throw new FitError(`dataset ${dataset}: the base network (alpha 1) reached F1 ${base.f1.toFixed(3)}, IoU ${base.iou.toFixed(3)}; relative accuracy needs a base above 0 (train longer or check the masks)`);
    }
    const log10ParamsAtBase = Math.log10(base.params);
    const points = [...byAlpha]
      .sort(([a], [b]) => b - a)
      .map(([alpha, rs]) => {
        const relativeF1 = pairedRelative(rs, baseRuns, 'f1');
        const relativeIoU = pairedRelative(rs, baseRuns, 'iou');
        if (!Number.isFinite(relativeF1) || !Number.isFinite(relativeIoU)) {
          throw new FitError(`dataset ${dataset}: no seed has both a learned base run (F1 and IoU at least ${MINIMUM_BASE_ACCURACY}) and a run at alpha ${alpha}; relative accuracy pairs the runs of a seed`);
        }
        return { alpha, log10Params: Math.log10(rs[0]!.params), decades: log10ParamsAtBase - Math.log10(rs[0]!.params), relativeF1, relativeIoU, seeds: rs.filter((r) => baseRuns.some((b) => b.seed === r.seed)).length };
      });
    if (points.length < 2) throw new FitError(`dataset ${dataset} has runs only at alpha 1; calibrate with smaller alphas too (e.g. alphas 1, 1/2, 1/4, 1/8)`);
    return { dataset, baseF1: base.f1, baseIoU: base.iou, log10ParamsAtBase, points };
  });
}

const relativeOf = (metric: Metric) => (p: DegradationPoint) => ({ decades: p.decades, relative: metric === 'f1' ? p.relativeF1 : p.relativeIoU });

/** The shared exponent with the least squared error over all datasets' points of a metric. */
export function bestExponent(datasets: readonly Omit<DatasetDegradation, 'f1' | 'iou'>[], metric: Metric): number {
  let best = { exponent: 1, sse: Number.POSITIVE_INFINITY };
  for (const exponent of EXPONENT_GRID) {
    const sse = datasets.reduce((s, d) => s + fitCurve(d.points.slice(1).map(relativeOf(metric)), exponent).residualSS, 0);
    if (sse < best.sse - 1e-12) best = { exponent, sse };
  }
  return best.exponent;
}

/** Per-dataset degradation curves with the exponents given (default: each metric's best). */
export function fitDegradation(runs: readonly CalibrationRun[], exponents?: { f1: number; iou: number }): DatasetDegradation[] {
  const datasets = degradationPoints(runs);
  const p = exponents ?? { f1: bestExponent(datasets, 'f1'), iou: bestExponent(datasets, 'iou') };
  return datasets.map((d) => ({
    ...d,
    f1: fitCurve(d.points.slice(1).map(relativeOf('f1')), p.f1),
    iou: fitCurve(d.points.slice(1).map(relativeOf('iou')), p.iou),
  }));
}

function pointStdError(datasets: readonly DatasetDegradation[], metric: Metric): number {
  const sse = datasets.reduce((s, d) => s + d[metric].residualSS, 0);
  const points = datasets.reduce((s, d) => s + d[metric].n, 0);
  return points > datasets.length ? Math.sqrt(sse / (points - datasets.length)) : 0;
}

/** The complete calibration fit from measured runs and the datasets' complexities. */
/**
 * Datasets the fit leaves out, with the reason: a base that did not learn (datasetsWithFailedBase),
 * or an under-trained base (a narrower width's paired relative F1 above UNDER_TRAINED_RATIO).
 */
export function datasetsLeftOut(runs: readonly CalibrationRun[]): { dataset: string; reason: string }[] {
  const failed = datasetsWithFailedBase(runs);
  const learned = runs.filter((r) => !failed.some((e) => e.dataset === r.dataset));
  const underTrained = degradationPoints(learned).flatMap((d) => {
    const best = d.points.slice(1).reduce((top, p) => (p.relativeF1 > top.relativeF1 ? p : top));
    return best.relativeF1 > UNDER_TRAINED_RATIO
      ? [{ dataset: d.dataset, reason: `the base network (alpha 1, F1 ${d.baseF1.toFixed(3)}) is under-trained: alpha ${best.alpha} reached ${best.relativeF1.toFixed(3)} times its F1 (above ${UNDER_TRAINED_RATIO}), so the ratios measure the base's training, not the width (train longer, with more patience)` }]
      : [];
  });
  return [...failed, ...underTrained];
}

export function fitCalibration(runs: readonly CalibrationRun[], complexities: Record<string, DatasetComplexityInput>, options: FitOptions = {}): CalibrationFit {
  const excluded = datasetsLeftOut(runs);
  const datasets = fitDegradation(runs.filter((r) => !excluded.some((e) => e.dataset === r.dataset)));
  if (datasets.length < 3) {
    const left = excluded.length ? ` (left out: ${excluded.map((e) => `${e.dataset}: ${e.reason}`).join('; ')})` : '';
    throw new FitError(`the complexity fit needs at least 3 calibration datasets (2 for a line and one more for its prediction interval), got ${datasets.length}${left}`);
  }
  for (const d of datasets) {
    if (!complexities[d.dataset]) throw new FitError(`dataset ${d.dataset} has no complexity; run complexity ${d.dataset} metrics all first`);
  }
  const complexityOf = Object.fromEntries(datasets.map((d) => [d.dataset, complexities[d.dataset]!]));
  const metricFit = (metric: Metric): MetricFit => ({
    exponent: datasets[0]![metric].exponent,
    pointStdError: pointStdError(datasets, metric),
    complexity: fitComplexity(datasets, complexityOf, metric, options.measure),
  });
  const alphas = [...new Set(datasets.flatMap((d) => d.points.map((p) => p.alpha)))].sort((a, b) => b - a);
  return {
    datasets,
    f1: metricFit('f1'),
    iou: metricFit('iou'),
    excluded,
    alphas,
    maxCalibratedDecades: Math.max(...datasets.flatMap((d) => d.points.map((p) => p.decades))),
  };
}

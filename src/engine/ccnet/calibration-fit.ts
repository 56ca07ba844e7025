/**
 * CC-Net's calibration fit (Mishra et al., ISBI 2019, section 2.2, Figs. 6 and 7).
 *
 * 1. Per dataset and metric (F1, IoU): relative accuracy r(alpha) = metric(alpha) / metric(1)
 *    against x = log10(#params(alpha)). The line is fitted through (log10 #params(1), 1), since
 *    r = 1 there by definition; its slope is the dataset's "degree of degradation" (how fast
 *    accuracy falls as the network shrinks; larger = more sensitive). Runs with several seeds
 *    at the same (dataset, alpha) are averaged first.
 * 2. Across datasets: slope against complexity. F1 slopes against JPEG complexity J; IoU slopes
 *    against JB = beta J + (1 - beta) B, where J and B are normalised to [0, 1] over the
 *    calibration datasets (min-max; a new dataset is mapped with the same min and max, so it
 *    can fall outside [0, 1]) and beta is the value on a 0.05 grid over [0, 1] with the highest
 *    R^2 (ties: the smaller residual error, then the larger beta).
 * 3. A dataset whose base network (alpha 1) did not learn (mean F1 or IoU below
 *    MINIMUM_BASE_ACCURACY) has no meaningful relative accuracy: it is left out of both fits and
 *    listed in `excluded` with the reason, so one failed dataset does not void the calibration.
 */
import { fitLine, fitLineThroughPoint, FitError, type LinearFit } from './regression';

export interface CalibrationRun {
  dataset: string;
  alpha: number;
  seed: number;
  params: number;
  f1: number;
  iou: number;
}

export interface DatasetComplexityInput {
  /** Mean JPEG complexity J. */
  j: number;
  /** Mean blob density B. */
  b: number;
}

export interface DatasetDegradation {
  dataset: string;
  baseF1: number;
  baseIoU: number;
  log10ParamsAtBase: number;
  /** Averaged over seeds: one point per alpha. */
  points: { alpha: number; log10Params: number; relativeF1: number; relativeIoU: number; seeds: number }[];
  f1: LinearFit;
  iou: LinearFit;
}

export interface ComplexityFit {
  /** 'j' for F1, 'jb' for IoU. */
  measure: 'j' | 'jb';
  beta: number;
  fit: LinearFit;
  /** The complexity value of each calibration dataset used in the fit. */
  complexityByDataset: Record<string, number>;
}

export interface CalibrationFit {
  datasets: DatasetDegradation[];
  f1: ComplexityFit;
  iou: ComplexityFit;
  /** Calibration datasets left out of the fits, with the reason. */
  excluded: { dataset: string; reason: string }[];
  /** min and max of J and B over the calibration datasets (for normalising a new dataset). */
  normalisation: { j: { min: number; max: number }; b: { min: number; max: number } };
}

export const BETA_GRID_STEP = 0.05;
/** Base accuracy (F1 and IoU at alpha 1) below which a dataset is left out of the fits. */
export const MINIMUM_BASE_ACCURACY = 0.1;

/** Datasets whose base network reached F1 or IoU below MINIMUM_BASE_ACCURACY (seed means). */
export function datasetsWithFailedBase(runs: readonly CalibrationRun[]): { dataset: string; reason: string }[] {
  const names = [...new Set(runs.map((r) => r.dataset))];
  return names.flatMap((dataset) => {
    const base = runs.filter((r) => r.dataset === dataset && r.alpha === 1);
    if (base.length === 0) return [];
    const f1 = base.reduce((s, r) => s + r.f1, 0) / base.length;
    const iou = base.reduce((s, r) => s + r.iou, 0) / base.length;
    if (f1 >= MINIMUM_BASE_ACCURACY && iou >= MINIMUM_BASE_ACCURACY) return [];
    return [{ dataset, reason: `the base network (alpha 1) reached F1 ${f1.toFixed(3)}, IoU ${iou.toFixed(3)}, below ${MINIMUM_BASE_ACCURACY}: it did not learn this dataset, so its relative accuracy means nothing (train longer, at a larger size, or check the masks)` }];
  });
}

/** Per-dataset degradation lines. */
export function fitDegradation(runs: readonly CalibrationRun[]): DatasetDegradation[] {
  const byDataset = new Map<string, CalibrationRun[]>();
  for (const run of runs) byDataset.set(run.dataset, [...(byDataset.get(run.dataset) ?? []), run]);
  return [...byDataset].map(([dataset, datasetRuns]) => {
    const byAlpha = new Map<number, CalibrationRun[]>();
    for (const run of datasetRuns) byAlpha.set(run.alpha, [...(byAlpha.get(run.alpha) ?? []), run]);
    const averaged = [...byAlpha].map(([alpha, rs]) => ({
      alpha,
      params: rs[0]!.params,
      f1: rs.reduce((s, r) => s + r.f1, 0) / rs.length,
      iou: rs.reduce((s, r) => s + r.iou, 0) / rs.length,
      seeds: rs.length,
    }));
    const base = averaged.find((p) => p.alpha === 1);
    if (!base) throw new FitError(`dataset ${dataset} has no run at alpha 1; the relative accuracy needs the base network's accuracy`);
    if (!(base.f1 > 0) || !(base.iou > 0)) {
      throw new FitError(`dataset ${dataset}: the base network (alpha 1) reached F1 ${base.f1.toFixed(3)}, IoU ${base.iou.toFixed(3)}; relative accuracy needs a base above 0 (train longer or check the masks)`);
    }
    const log10ParamsAtBase = Math.log10(base.params);
    const points = averaged
      .sort((a, b) => b.alpha - a.alpha)
      .map((p) => ({ alpha: p.alpha, log10Params: Math.log10(p.params), relativeF1: p.f1 / base.f1, relativeIoU: p.iou / base.iou, seeds: p.seeds }));
    const others = points.filter((p) => p.alpha !== 1);
    if (others.length === 0) throw new FitError(`dataset ${dataset} has runs only at alpha 1; calibrate with smaller alphas too (e.g. alphas 1, 1/2, 1/4, 1/8)`);
    // The base point (log10 P(1), 1) is the anchor, not an observation: fit the other alphas.
    const xs = others.map((p) => p.log10Params);
    return {
      dataset,
      baseF1: base.f1,
      baseIoU: base.iou,
      log10ParamsAtBase,
      points,
      f1: fitLineThroughPoint(xs, others.map((p) => p.relativeF1), log10ParamsAtBase, 1, `the F1 line of ${dataset}`),
      iou: fitLineThroughPoint(xs, others.map((p) => p.relativeIoU), log10ParamsAtBase, 1, `the IoU line of ${dataset}`),
    };
  });
}

function range(values: number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** (value - min) / (max - min); 0.5 when the calibration datasets do not spread the measure. */
export function normalise(value: number, r: { min: number; max: number }): number {
  return r.max > r.min ? (value - r.min) / (r.max - r.min) : 0.5;
}

/** The complete calibration fit from measured runs and the datasets' complexities. */
export function fitCalibration(runs: readonly CalibrationRun[], complexities: Record<string, DatasetComplexityInput>): CalibrationFit {
  const excluded = datasetsWithFailedBase(runs);
  const datasets = fitDegradation(runs.filter((r) => !excluded.some((e) => e.dataset === r.dataset)));
  if (datasets.length < 2) {
    const left = excluded.length ? ` (left out: ${excluded.map((e) => `${e.dataset}: ${e.reason}`).join('; ')})` : '';
    throw new FitError(`the complexity fit needs at least 2 calibration datasets, got ${datasets.length}${left}; a prediction interval needs 3`);
  }
  for (const d of datasets) {
    if (!complexities[d.dataset]) throw new FitError(`dataset ${d.dataset} has no complexity; run complexity ${d.dataset} metrics j,b first`);
  }
  const normalisation = { j: range(datasets.map((d) => complexities[d.dataset]!.j)), b: range(datasets.map((d) => complexities[d.dataset]!.b)) };
  const jOf = (name: string) => complexities[name]!.j;
  const f1Fit = fitLine(datasets.map((d) => jOf(d.dataset)), datasets.map((d) => d.f1.slope), 'the fit of F1 slopes against J');
  const f1: ComplexityFit = { measure: 'j', beta: 1, fit: f1Fit, complexityByDataset: Object.fromEntries(datasets.map((d) => [d.dataset, jOf(d.dataset)])) };

  let best: ComplexityFit | undefined;
  for (let step = 0; step <= Math.round(1 / BETA_GRID_STEP); step++) {
    const beta = Math.round(step * BETA_GRID_STEP * 1e6) / 1e6;
    const jb = (name: string) => jbValue(complexities[name]!, beta, normalisation);
    const values = datasets.map((d) => jb(d.dataset));
    if (Math.max(...values) - Math.min(...values) <= 1e-12) continue;
    const fit = fitLine(values, datasets.map((d) => d.iou.slope), 'the fit of IoU slopes against JB');
    const candidate: ComplexityFit = { measure: 'jb', beta, fit, complexityByDataset: Object.fromEntries(datasets.map((d, i) => [d.dataset, values[i]!])) };
    if (!best || better(candidate.fit, best.fit)) best = candidate;
  }
  if (!best) throw new FitError('the calibration datasets have the same J and B, so IoU slopes cannot be related to complexity; calibrate on datasets of different complexity');
  return { datasets, f1, iou: best, excluded, normalisation };
}

function better(a: LinearFit, b: LinearFit): boolean {
  if (Math.abs(a.rSquared - b.rSquared) > 1e-12) return a.rSquared > b.rSquared;
  if (Math.abs(a.residualStdError - b.residualStdError) > 1e-12) return a.residualStdError < b.residualStdError;
  return true; // later in the grid = larger beta
}

/** JB of a dataset with the calibration's normalisation. */
export function jbValue(complexity: DatasetComplexityInput, beta: number, normalisation: CalibrationFit['normalisation']): number {
  return beta * normalise(complexity.j, normalisation.j) + (1 - beta) * normalise(complexity.b, normalisation.b);
}

/**
 * The acceptance check of CC-Net's prediction: leave one dataset out. For each calibration
 * dataset, everything is fitted on the others (degradation curves, their exponent, the measure
 * chosen by its own leave-one-out error), the held-out dataset's relative F1 is predicted at
 * every calibrated width from its complexity, the width is selected for an accuracy target
 * (case 2, among the calibrated widths), and the prediction is compared with what training
 * measured on the held-out dataset: the calibration's own runs of it (the same recipe, seeds and
 * held-out images as a fresh run, which is deterministic on one backend), so nothing of the
 * held-out dataset enters the fit that predicts it.
 *
 * - Oracle width: the smallest calibrated width whose measured relative F1 (the median over seeds of the
 *   ratio within each seed, as in the fit: pairedRelative) meets the
 *   target (the base, whose relative F1 is 1, when no narrower one does). A hit selects it; a miss
 *   selects a narrower one (the target is then missed).
 * - Gap: |predicted - measured| relative F1 at the selected width.
 * - Coverage: the share of (dataset, calibrated width narrower than the base) pairs whose
 *   measured relative F1 lies in the predicted 90% interval; the mean interval width over them.
 * - Parameter reduction: #params(base) / #params(selected), averaged over datasets.
 * - The always-the-base rule is scored beside, to show what the prediction adds.
 * - Oracle agreement: how reproducible each oracle is by the seeds' split-half agreement
 *   (oracle-stability.ts), a ceiling on the hits that seeds this noisy allow.
 */
import { datasetsLeftOut, fitCalibration, pairedRelative, seedAggregate, type CalibrationRun, type FitOptions } from './calibration-fit';
import type { Calibration } from './calibration-file';
import { predictDataset, relativeAccuracyAt } from './predict';
import { oracleSplitHalfAgreement, oracleWidth } from './oracle-stability';
import { datasetProbes, refineWithProbe } from './probe';

export interface WidthCheck {
  alpha: number;
  params: number;
  predicted: { value: number; low: number; high: number };
  measured: number;
  inside: boolean;
}

export interface LeaveOneOutRow {
  dataset: string;
  /** With probes: the slope before and after the held-out dataset's probe. */
  probe?: { relativeF1: number; priorSlope: number; slope: number; trainS: number };
  /** The measure the fit on the other datasets chose for F1, and this dataset's value of it. */
  measure: string;
  measureValue: number;
  j: number;
  b: number;
  baseF1: number;
  selectedAlpha: number;
  oracleAlpha: number;
  /** Share of the seed splits whose two halves name the same oracle width (oracle-stability.ts). */
  oracleAgreement: number;
  /** Why its measured ratios say little about width, when they do (a base that did not learn or is under-trained); such a dataset is still scored. */
  measurementCaveat?: string;
  hit: boolean;
  miss: boolean;
  predictedRelativeF1: { value: number; low: number; high: number };
  measuredRelativeF1: number;
  /** F1(selected alpha) / F1(1) per seed, in seed order. */
  measuredBySeed: { seed: number; relativeF1: number }[];
  insideInterval: boolean;
  targetMet: boolean;
  absoluteGap: number;
  parameterReduction: number;
  /** Every calibrated width narrower than the base. */
  widths: WidthCheck[];
}

export interface LeaveOneOutReport {
  target: number;
  measure: string;
  rows: LeaveOneOutRow[];
  datasets: number;
  oracleHits: number;
  misses: number;
  targetMetCount: number;
  meanAbsoluteGap: number;
  /** Share of (dataset, width) pairs inside the interval, and how many pairs. */
  coverage: number;
  pairs: number;
  meanIntervalWidth: number;
  /** Mean |predicted - measured| relative F1 over every (dataset, width) pair. */
  meanWidthError: number;
  meanParameterReduction: number;
  /** Mean over datasets of the oracle's split-half agreement: about how many hits the seeds' noise allows, as a share. */
  meanOracleAgreement: number;
  /** Choosing the base width every time, scored the same way. */
  alwaysBase: { oracleHits: number; misses: number; meanParameterReduction: number };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export interface LeaveOneOutOptions extends FitOptions {
  /**
   * Probe runs (probe.ts): alpha 1 and the narrowest calibrated width, trained E epochs, on every
   * calibration dataset. Each held-out dataset's slope is then refined by its own probe, with the
   * probe's error measured on the other (fitted) datasets only.
   */
  probeRuns?: readonly CalibrationRun[];
}

export function leaveOneDatasetOut(calibration: Calibration, target: number, options: LeaveOneOutOptions = {}): LeaveOneOutReport {
  const names = calibration.datasets.map((d) => d.name);
  const probes = options.probeRuns ? datasetProbes(options.probeRuns) : undefined;
  if (names.length < 4) throw new RangeError(`leave-one-dataset-out needs at least 4 calibration datasets (3 to fit with an interval, 1 held out); this calibration has ${names.length}`);
  const complexities = Object.fromEntries(calibration.datasets.map((d) => [d.name, d.complexity]));
  const agreements = oracleSplitHalfAgreement(calibration.runs, target);
  const caveats = datasetsLeftOut(calibration.runs);
  const rows = names.map((heldOut): LeaveOneOutRow => {
    const others: CalibrationRun[] = calibration.runs.filter((r) => r.dataset !== heldOut);
    const fit = fitCalibration(others, complexities, options);
    const predicted = predictDataset(fit, complexities[heldOut]!);
    const ownProbe = probes?.find((p) => p.dataset === heldOut);
    if (probes && !ownProbe) throw new RangeError(`the probe runs have no probe of ${heldOut}`);
    const probed = probes && ownProbe ? { ...refineWithProbe(predicted.f1, fit, probes, ownProbe), own: ownProbe } : undefined;
    const prediction = probed ? { ...predicted, f1: probed.prediction } : predicted;
    const own = calibration.runs.filter((r) => r.dataset === heldOut);
    const baseRuns = own.filter((r) => r.alpha === 1);
    if (baseRuns.length === 0) throw new RangeError(`dataset ${heldOut} has no run at alpha 1`);
    const baseF1 = seedAggregate(baseRuns.map((r) => r.f1));
    const log10Base = Math.log10(baseRuns[0]!.params);
    const alphas = [...new Set(own.map((r) => r.alpha))].sort((a, b) => b - a);
    const at = (alpha: number) => {
      const runs = own.filter((r) => r.alpha === alpha);
      const params = runs[0]!.params;
      const predicted = relativeAccuracyAt(prediction.f1, log10Base - Math.log10(params), prediction.maxCalibratedDecades);
      const measured = pairedRelative(runs, baseRuns, 'f1');
      return { alpha, params, predicted: { value: predicted.value, low: predicted.low, high: predicted.high }, measured, inside: measured >= predicted.low - 1e-12 && measured <= predicted.high + 1e-12 };
    };
    const checks = alphas.map(at);
    const selected = [...checks].reverse().find((c) => c.predicted.value >= target) ?? checks[0]!;
    const oracleAlpha = oracleWidth(own, target);
    const measuredBySeed = [...new Set(own.filter((r) => r.alpha === selected.alpha).map((r) => r.seed))]
      .sort((a, b) => a - b)
      .flatMap((seed) => {
        const base = baseRuns.find((r) => r.seed === seed);
        const run = own.find((r) => r.alpha === selected.alpha && r.seed === seed);
        return base && run ? [{ seed, relativeF1: run.f1 / base.f1 }] : [];
      });
    return {
      dataset: heldOut,
      ...(probed ? { probe: { relativeF1: probed.own.relativeF1, priorSlope: probed.refined.prior.slope, slope: probed.refined.slope, trainS: probed.own.trainS } } : {}),
      measure: prediction.f1.measure,
      measureValue: prediction.f1.x,
      j: complexities[heldOut]!.j!,
      b: complexities[heldOut]!.b!,
      baseF1,
      selectedAlpha: selected.alpha,
      oracleAlpha,
      oracleAgreement: agreements.find((a) => a.dataset === heldOut)!.agreement,
      ...(caveats.some((c) => c.dataset === heldOut) ? { measurementCaveat: caveats.find((c) => c.dataset === heldOut)!.reason } : {}),
      hit: selected.alpha === oracleAlpha,
      miss: selected.alpha < oracleAlpha,
      predictedRelativeF1: selected.predicted,
      measuredRelativeF1: selected.measured,
      measuredBySeed,
      insideInterval: selected.inside,
      targetMet: selected.measured >= target,
      absoluteGap: Math.abs(selected.predicted.value - selected.measured),
      parameterReduction: checks[0]!.params / selected.params,
      widths: checks.filter((c) => c.alpha !== 1),
    };
  });
  const pairs = rows.flatMap((r) => r.widths);
  const baseHits = rows.filter((r) => r.oracleAlpha === 1).length;
  return {
    target,
    measure: options.measure ?? 'chosen by held-out error',
    rows,
    datasets: rows.length,
    oracleHits: rows.filter((r) => r.hit).length,
    misses: rows.filter((r) => r.miss).length,
    targetMetCount: rows.filter((r) => r.targetMet).length,
    meanAbsoluteGap: mean(rows.map((r) => r.absoluteGap)),
    coverage: pairs.filter((p) => p.inside).length / pairs.length,
    pairs: pairs.length,
    meanIntervalWidth: mean(pairs.map((p) => p.predicted.high - p.predicted.low)),
    meanWidthError: mean(pairs.map((p) => Math.abs(p.predicted.value - p.measured))),
    meanParameterReduction: mean(rows.map((r) => r.parameterReduction)),
    meanOracleAgreement: mean(rows.map((r) => r.oracleAgreement).filter((a) => Number.isFinite(a))),
    alwaysBase: { oracleHits: baseHits, misses: 0, meanParameterReduction: 1 },
  };
}

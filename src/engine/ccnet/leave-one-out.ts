/**
 * The acceptance check of CC-Net's prediction: leave one dataset out. For each calibration
 * dataset, fit on the others, predict the held-out dataset's slope from its complexity, select
 * the width for an accuracy target (case 2), and compare with what training at that width
 * measured on the held-out dataset.
 *
 * The measurement is the calibration's own run of the held-out dataset at the selected alpha
 * (trained with the same recipe, seed and held-out test images as a fresh run would be, which
 * is deterministic on one backend), so nothing of the held-out dataset enters the fit that
 * predicts it. With several seeds, the measured relative F1 is mean F1(alpha) / mean F1(1) over
 * the seeds, as in the fit; `measuredBySeed` gives F1(alpha) / F1(1) of each seed alone (a seed
 * also draws its own held-out images), to show how much one run can differ.
 */
import { fitCalibration, type CalibrationRun } from './calibration-fit';
import type { Calibration } from './calibration-file';
import { predictSlopes, relativeAccuracyAt } from './predict';

export interface LeaveOneOutRow {
  dataset: string;
  j: number;
  b: number;
  selectedAlpha: number;
  predictedRelativeF1: { value: number; low: number; high: number };
  measuredRelativeF1: number;
  /** F1(selected alpha) / F1(1) per seed, in seed order. */
  measuredBySeed: { seed: number; relativeF1: number }[];
  /** Whether the measured relative F1 lies in the predicted 90% interval. */
  insideInterval: boolean;
  targetMet: boolean;
  absoluteGap: number;
  baseF1: number;
}

export interface LeaveOneOutReport {
  target: number;
  rows: LeaveOneOutRow[];
  targetMetCount: number;
  insideIntervalCount: number;
  meanAbsoluteGap: number;
}

export function leaveOneDatasetOut(calibration: Calibration, target: number): LeaveOneOutReport {
  const names = calibration.datasets.map((d) => d.name);
  if (names.length < 4) throw new RangeError(`leave-one-dataset-out needs at least 4 calibration datasets (3 to fit with an interval, 1 held out); this calibration has ${names.length}`);
  const complexities = Object.fromEntries(calibration.datasets.map((d) => [d.name, { j: d.complexity.j!, b: d.complexity.b! }]));
  const rows = names.map((heldOut) => {
    const others: CalibrationRun[] = calibration.runs.filter((r) => r.dataset !== heldOut);
    const fit = fitCalibration(others, complexities);
    const slopes = predictSlopes(fit, complexities[heldOut]!);
    const own = calibration.runs.filter((r) => r.dataset === heldOut);
    const mean = (rs: CalibrationRun[], key: 'f1') => rs.reduce((s, r) => s + r[key], 0) / rs.length;
    const baseRuns = own.filter((r) => r.alpha === 1);
    if (baseRuns.length === 0) throw new RangeError(`dataset ${heldOut} has no run at alpha 1`);
    const baseF1 = mean(baseRuns, 'f1');
    const log10Base = Math.log10(baseRuns[0]!.params);
    // candidates: the calibrated alphas (the only widths measured on the held-out dataset)
    const alphas = [...new Set(own.map((r) => r.alpha))].sort((a, b) => b - a);
    let selected = 1;
    for (const alpha of alphas) {
      const params = own.find((r) => r.alpha === alpha)!.params;
      if (relativeAccuracyAt(slopes.f1, Math.log10(params), log10Base).value >= target) selected = alpha;
    }
    const selectedRuns = own.filter((r) => r.alpha === selected);
    const predicted = relativeAccuracyAt(slopes.f1, Math.log10(selectedRuns[0]!.params), log10Base);
    const measured = mean(selectedRuns, 'f1') / baseF1;
    const measuredBySeed = [...new Set(selectedRuns.map((r) => r.seed))]
      .sort((a, b) => a - b)
      .flatMap((seed) => {
        const base = baseRuns.find((r) => r.seed === seed);
        const run = selectedRuns.find((r) => r.seed === seed);
        return base && run ? [{ seed, relativeF1: run.f1 / base.f1 }] : [];
      });
    return {
      dataset: heldOut,
      j: complexities[heldOut]!.j,
      b: complexities[heldOut]!.b,
      selectedAlpha: selected,
      predictedRelativeF1: predicted,
      measuredRelativeF1: measured,
      measuredBySeed,
      insideInterval: measured >= predicted.low && measured <= predicted.high,
      targetMet: measured >= target,
      absoluteGap: Math.abs(predicted.value - measured),
      baseF1,
    };
  });
  return {
    target,
    rows,
    targetMetCount: rows.filter((r) => r.targetMet).length,
    insideIntervalCount: rows.filter((r) => r.insideInterval).length,
    meanAbsoluteGap: rows.reduce((s, r) => s + r.absoluteGap, 0) / rows.length,
  };
}

/**
 * How reproducible a dataset's oracle width is (beyond the CC-Net paper): a ceiling on how often
 * any predictor can hit it.
 *
 * Oracle width at target t: the smallest calibrated width whose measured relative F1 (the median
 * over seeds of F1(alpha) / F1(1) within a seed, calibration-fit.ts pairedRelative) is at least t;
 * the base (alpha 1) when no narrower width is.
 *
 * Split-half agreement: the dataset's seeds are split into two disjoint halves in every way
 * (floor(n / 2) seeds against the other ceil(n / 2), each unordered split once), the oracle width
 * is taken on each half alone, and the agreement is the share of splits on which the two halves
 * name the same width. It measures the seeds' noise, not the predictor: two measurements of the
 * same dataset by the same recipe disagree on its oracle in 1 - agreement of the splits, so a
 * predictor scored against one measurement cannot be expected to hit it more often than about
 * that (each half has fewer seeds than the full measurement, so this is a rough, low estimate).
 */
import { pairedRelative, type CalibrationRun } from './calibration-fit';

/** The oracle width of one dataset's runs at a relative F1 target, from the given seeds only (all when omitted). */
export function oracleWidth(runs: readonly CalibrationRun[], target: number, seeds?: readonly number[]): number {
  const used = seeds ? runs.filter((r) => seeds.includes(r.seed)) : runs;
  const baseRuns = used.filter((r) => r.alpha === 1);
  const narrower = [...new Set(used.map((r) => r.alpha))].filter((a) => a < 1).sort((a, b) => a - b);
  return narrower.find((alpha) => pairedRelative(used.filter((r) => r.alpha === alpha), baseRuns, 'f1') >= target) ?? 1;
}

/** Every split of the seeds into floor(n / 2) and the rest, each unordered split once. */
export function seedHalves(seeds: readonly number[]): [number[], number[]][] {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const size = Math.floor(sorted.length / 2);
  const splits: [number[], number[]][] = [];
  const choose = (start: number, picked: number[]) => {
    if (picked.length === size) {
      const rest = sorted.filter((s) => !picked.includes(s));
      // with an even count each split appears twice (A|B and B|A): keep the one whose first half holds the smallest seed
      if (size * 2 === sorted.length && !picked.includes(sorted[0]!)) return;
      splits.push([picked, rest]);
      return;
    }
    for (let i = start; i < sorted.length; i++) choose(i + 1, [...picked, sorted[i]!]);
  };
  if (size > 0) choose(0, []);
  return splits;
}

export interface OracleAgreement {
  dataset: string;
  /** Share of the seed splits whose halves name the same oracle width; NaN with fewer than 2 seeds. */
  agreement: number;
  splits: number;
}

/** The split-half agreement of each dataset's oracle width at a target. */
export function oracleSplitHalfAgreement(runs: readonly CalibrationRun[], target: number): OracleAgreement[] {
  const names = [...new Set(runs.map((r) => r.dataset))];
  return names.map((dataset) => {
    const own = runs.filter((r) => r.dataset === dataset);
    const splits = seedHalves(own.map((r) => r.seed));
    const agreeing = splits.filter(([a, b]) => oracleWidth(own, target, a) === oracleWidth(own, target, b)).length;
    return { dataset, agreement: splits.length ? agreeing / splits.length : Number.NaN, splits: splits.length };
  });
}

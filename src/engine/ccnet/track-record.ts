/**
 * A calibration's track record at an accuracy target (beyond the CC-Net paper): how its
 * predictions held on its own datasets, each left out in turn (leave-one-out.ts), so that a
 * selection shows beside its prediction how far such predictions have been right. The same
 * figures as `ccnet lodo --target T` (with `--probe` when the selection is probed).
 */
import type { Calibration } from './calibration-file';
import { leaveOneDatasetOut } from './leave-one-out';
import { FitError } from './regression';

export interface TrackRecord {
  target: number;
  datasets: number;
  /** Held-out datasets whose selected width was the measured smallest meeting the target. */
  oracleHits: number;
  /** Held-out datasets given a narrower width than that (their target missed). */
  misses: number;
  /** Mean |predicted - measured| relative F1 at the selected width. */
  meanAbsoluteGap: number;
  /** Share of (dataset, width) pairs whose measured relative F1 fell in the 90% interval. */
  coverage: number;
  /** Mean split-half agreement of the datasets' oracle widths over seeds (oracle-stability.ts). */
  oracleAgreement: number;
  probed: boolean;
}

/** The track record, or why there is none (fewer than 4 datasets, a measure some fold refuses). */
export function trackRecord(calibration: Calibration, target: number, options: { measure?: string; probe?: boolean } = {}): TrackRecord | { unavailable: string } {
  try {
    const probeRuns = options.probe ? calibration.probe?.runs : undefined;
    const report = leaveOneDatasetOut(calibration, target, { ...(options.measure ? { measure: options.measure } : {}), ...(probeRuns ? { probeRuns } : {}) });
    return {
      target,
      datasets: report.datasets,
      oracleHits: report.oracleHits,
      misses: report.misses,
      meanAbsoluteGap: report.meanAbsoluteGap,
      coverage: report.coverage,
      oracleAgreement: report.meanOracleAgreement,
      probed: probeRuns !== undefined,
    };
  } catch (error) {
    // leave-one-out's own checks throw RangeError (too few datasets, a dataset without a probe); a fold's fit, FitError
    if (error instanceof FitError || error instanceof RangeError) return { unavailable: error.message };
    throw error;
  }
}

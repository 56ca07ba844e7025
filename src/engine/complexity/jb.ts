/**
 * Dataset-level combinations of the measures (CC-Net, Mishra et al., ISBI 2019, section 2.1 and
 * Fig. 4).
 *
 * JB = beta * J + (1 - beta) * B: the paper's linear mix of JPEG complexity J and blob density
 * B, which follows IoU degradation better than either alone; beta is chosen by the calibration
 * (the paper does not publish its value). DEFAULT_JB_BETA = 0.5 weighs both equally until a
 * calibration sets it. J and B are passed as they are: give them both raw (dataset means) or
 * both normalised (normalizeAcrossDatasets), never mixed; on raw values B's larger spread
 * dominates.
 *
 * Normalisation (Fig. 4 plots each measure on [0, 1] across the datasets compared): min-max
 * over the dataset means, (m - min) / (max - min). When the datasets compared do not spread a
 * measure (a single dataset, or all means equal), there is nothing to normalise against: every
 * dataset gets NORMALISED_WITHOUT_SPREAD = 0.5 for that measure and the measure is listed in
 * `withoutSpread`, so a plot can say so.
 */
import type { DatasetComplexity } from './dataset-complexity';

export const DEFAULT_JB_BETA = 0.5;
export const NORMALISED_WITHOUT_SPREAD = 0.5;

/** JB = beta * J + (1 - beta) * B; beta in [0, 1]. */
export function combineJB(j: number, b: number, beta = DEFAULT_JB_BETA): number {
  if (!(beta >= 0 && beta <= 1)) throw new RangeError(`JB beta ${beta} is outside [0, 1]; give a weight between 0 (B only) and 1 (J only)`);
  return beta * j + (1 - beta) * b;
}

/** JB of one dataset from its mean J and mean B (both measures must have been computed). */
export function datasetJB(result: DatasetComplexity, beta = DEFAULT_JB_BETA): number {
  const j = result.measures['j'];
  const b = result.measures['b'];
  if (!j || !b) {
    throw new RangeError(`dataset ${result.dataset}: JB needs measures j and b, but only ${Object.keys(result.measures).join(', ') || 'none'} were computed; add metrics j,b`);
  }
  return combineJB(j.mean, b.mean, beta);
}

export interface NormalisedMeasures {
  /** dataset name -> measure id -> value in [0, 1]. */
  values: Record<string, Record<string, number>>;
  /** Per measure id: the smallest and largest dataset mean, the ends of the scale. */
  ranges: Record<string, { min: number; max: number }>;
  /** Measures that the datasets do not spread (each got NORMALISED_WITHOUT_SPREAD). */
  withoutSpread: string[];
}

/**
 * Min-max normalisation of each measure's dataset mean across the datasets compared; measures
 * are those every dataset has (or `measureIds`). Dataset names must be distinct.
 */
export function normalizeAcrossDatasets(results: readonly DatasetComplexity[], measureIds?: readonly string[]): NormalisedMeasures {
  if (results.length === 0) throw new RangeError('normalisation needs at least one dataset result');
  const names = new Set<string>();
  for (const r of results) {
    if (names.has(r.dataset)) throw new RangeError(`dataset ${r.dataset} appears twice; give each dataset a distinct name`);
    names.add(r.dataset);
  }
  const ids = measureIds ?? Object.keys(results[0]!.measures).filter((id) => results.every((r) => r.measures[id]));
  const values: Record<string, Record<string, number>> = Object.fromEntries(results.map((r) => [r.dataset, {}]));
  const ranges: Record<string, { min: number; max: number }> = {};
  const withoutSpread: string[] = [];
  for (const id of ids) {
    const means = results.map((r) => {
      const summary = r.measures[id];
      if (!summary) throw new RangeError(`dataset ${r.dataset} has no measure ${id}; compute it for every dataset compared`);
      return summary.mean;
    });
    const min = Math.min(...means);
    const max = Math.max(...means);
    ranges[id] = { min, max };
    const spread = max - min;
    const flat = !(spread > 1e-12 * Math.max(1, Math.abs(max)));
    if (flat) withoutSpread.push(id);
    results.forEach((r, i) => {
      values[r.dataset]![id] = flat ? NORMALISED_WITHOUT_SPREAD : (means[i]! - min) / spread;
    });
  }
  return { values, ranges, withoutSpread };
}

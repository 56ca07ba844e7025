/**
 * Uncertainty of an ensemble on an unlabelled image (suggestive annotation, Yang et al., MICCAI
 * 2017, Sec. 2.2): M networks trained on bootstrap samples of the labelled images predict the
 * image; a pixel's uncertainty is the variance over the M networks of its foreground
 * probability, and the image's uncertainty is the mean of its pixels' variances. The variance of
 * a probability is at most 0.25 (half the networks say 0, half say 1).
 */

/** Per-pixel variance over the members' probability maps (population variance, divided by M). */
export function ensembleVariance(maps: readonly ArrayLike<number>[]): Float32Array {
  if (maps.length === 0) throw new RangeError('an ensemble needs at least one probability map');
  const pixels = maps[0]!.length;
  if (maps.some((m) => m.length !== pixels)) throw new RangeError('the probability maps of one image must have the same size');
  const variance = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) {
    let sum = 0;
    for (const map of maps) sum += map[p]!;
    const mean = sum / maps.length;
    let squares = 0;
    for (const map of maps) squares += (map[p]! - mean) ** 2;
    variance[p] = squares / maps.length;
  }
  return variance;
}

/** The image's uncertainty: the mean of its per-pixel variances. */
export function imageUncertainty(variance: ArrayLike<number>): number {
  let sum = 0;
  for (let p = 0; p < variance.length; p++) sum += variance[p]!;
  return variance.length === 0 ? 0 : sum / variance.length;
}

/**
 * The same per-pixel variance, accumulated one member at a time (sums of p and p^2 per pixel),
 * so that an ensemble over a large pool never holds every member's maps at once.
 */
export class EnsembleVarianceAccumulator {
  private readonly sums: Float64Array[] = [];
  private readonly squares: Float64Array[] = [];
  private memberCount = 0;

  /** Adds one member's probability maps, one per pool image, in the pool's order. */
  addMember(maps: readonly ArrayLike<number>[]): void {
    if (this.memberCount > 0 && maps.length !== this.sums.length) throw new RangeError(`a member predicted ${maps.length} images, the others ${this.sums.length}`);
    maps.forEach((map, i) => {
      const sum = (this.sums[i] ??= new Float64Array(map.length));
      const square = (this.squares[i] ??= new Float64Array(map.length));
      if (sum.length !== map.length) throw new RangeError(`image ${i}: maps of ${map.length} and ${sum.length} pixels`);
      for (let p = 0; p < map.length; p++) {
        sum[p]! += map[p]!;
        square[p]! += map[p]! * map[p]!;
      }
    });
    this.memberCount++;
  }

  get members(): number {
    return this.memberCount;
  }

  /** Image i's per-pixel variance over the members added so far. */
  variance(i: number): Float32Array {
    const m = this.memberCount;
    return Float32Array.from(this.sums[i]!, (sum, p) => Math.max(0, this.squares[i]![p]! / m - (sum / m) ** 2));
  }

  /** Image i's mean probability over the members. */
  mean(i: number): Float32Array {
    return Float32Array.from(this.sums[i]!, (sum) => sum / this.memberCount);
  }
}

/**
 * Which images to annotate next: the suggestive-annotation rule of Yang et al. (MICCAI 2017,
 * Sec. 2.2), used with quantized networks by Xu et al. (CVPR 2018).
 *
 * 1. Uncertainty: the K_c = min(N, candidateFactor x K) pool images with the highest ensemble
 *    uncertainty are the candidates (Yang et al. take 16 candidates for 8 suggestions: factor 2).
 * 2. Representativeness: from the candidates, K images S are chosen greedily to maximise the
 *    coverage of the whole pool U, F(S) = sum over x in U of max over s in S of sim(x, s), where
 *    sim is the cosine similarity of the images' encoder descriptors (max-cover is NP-hard; the
 *    greedy choice is the paper's approximation). Each step adds the candidate with the largest
 *    gain F(S + c) - F(S); a tie goes to the more uncertain one.
 */

export interface Suggestion {
  /** Index of the image in the pool. */
  index: number;
  /** 1-based order of choice. */
  rank: number;
  uncertainty: number;
  /** F(S + this) - F(S) when it was chosen. */
  coverageGain: number;
}

export const DEFAULT_CANDIDATE_FACTOR = 2;

/** Cosine similarity of two vectors (0 when either is zero). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`descriptors of different lengths (${a.length} and ${b.length})`);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}

export function suggestImages(uncertainty: readonly number[], descriptors: readonly ArrayLike<number>[], count: number, candidateFactor = DEFAULT_CANDIDATE_FACTOR): Suggestion[] {
  const n = uncertainty.length;
  if (descriptors.length !== n) throw new RangeError(`${n} uncertainties but ${descriptors.length} descriptors`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`the number of suggestions must be a whole number above 0, not ${count}`);
  const k = Math.min(count, n);
  const byUncertainty = uncertainty.map((u, index) => ({ u, index })).sort((a, b) => b.u - a.u || a.index - b.index);
  const candidates = byUncertainty.slice(0, Math.min(n, Math.max(k, Math.round(candidateFactor * k)))).map((c) => c.index);
  const similarity = candidates.map((c) => descriptors.map((d) => cosineSimilarity(descriptors[c]!, d)));
  // best[x]: max similarity of pool image x to the chosen set so far (F(S) = sum of best)
  const best = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const chosen: Suggestion[] = [];
  const taken = new Set<number>();
  for (let rank = 1; rank <= k; rank++) {
    let pick = -1;
    let pickGain = Number.NEGATIVE_INFINITY;
    candidates.forEach((c, ci) => {
      if (taken.has(ci)) return;
      let gain = 0;
      for (let x = 0; x < n; x++) {
        const s = similarity[ci]![x]!;
        if (s > best[x]!) gain += best[x] === Number.NEGATIVE_INFINITY ? s : s - best[x]!;
      }
      if (gain > pickGain + 1e-12 || (Math.abs(gain - pickGain) <= 1e-12 && pick >= 0 && uncertainty[c]! > uncertainty[candidates[pick]!]!)) {
        pick = ci;
        pickGain = gain;
      }
    });
    taken.add(pick);
    const index = candidates[pick]!;
    for (let x = 0; x < n; x++) best[x] = Math.max(best[x]!, similarity[pick]![x]!);
    chosen.push({ index, rank, uncertainty: uncertainty[index]!, coverageGain: pickGain });
  }
  return chosen;
}

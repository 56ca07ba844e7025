/**
 * Width-multiplier selection (CC-Net, section 3): for a new dataset, which alpha?
 *
 * - case 2, accuracy-guided least memory: the smallest candidate alpha whose predicted relative
 *   F1 (point estimate) is at least the target;
 * - case 1a, disk budget N MB at B bits per kernel weight: the bytes of the files an export
 *   writes (`NetworkSize.fileBytesAt`, from the network's stored form: B-bit kernels with their
 *   per-channel scales, float32 biases, the file's own structure) <= N * 10^6; the largest
 *   candidate alpha within it;
 * - case 1b, memory budget N MB for inference at batch K and input H x W: the weights as a
 *   runtime holds them (float32, `fileBytesAt`'s stored form at 32 bits without the file
 *   structure: 4 bytes per parameter) plus the activations of one forward pass <= N * 10^6
 *   bytes; the largest candidate alpha within it.
 *
 * Candidates: 'powers-of-two' (1, 1/2, 1/4, ..., as in the paper, down to the smallest alpha at
 * which every convolution still has at least one filter by rounding, i.e. min base filters *
 * alpha >= 1) or 'integer-filters' (alpha = k / m for k = m..1 with m the smallest base filter
 * count, so every layer whose base count is a multiple of m gets a whole number of filters).
 * MB = 10^6 bytes. Every result also gives the next smaller candidate's prediction (the paper's
 * "case1-" check).
 *
 * By default no candidate is narrower than the narrowest calibrated width (where the degradation
 * curve was measured); `allowExtrapolation` adds the narrower ones, whose predictions are
 * extrapolated and flagged (`widthInside` false).
 */
import { relativeAccuracyAt, type DatasetPrediction, type RelativeAccuracy } from './predict';

export type AlphaRounding = 'powers-of-two' | 'integer-filters';

export interface NetworkSize {
  paramsAt(alpha: number): number;
  /** Bytes of the model files an export writes at `bits`-bit kernels (32: float32). */
  fileBytesAt(alpha: number, bits: number): number;
  /** Bytes of all layer outputs of one forward pass (32-bit values). */
  activationBytesAt(alpha: number, batch: number, heightPx: number, widthPx: number): number;
  /** Base filter count of every convolution (alpha = 1). */
  baseFilters: readonly number[];
}

export type Constraint =
  | { kind: 'accuracy'; target: number }
  | { kind: 'disk'; budgetMB: number; bitsPerWeight: number }
  | { kind: 'memory'; budgetMB: number; batch: number; heightPx: number; widthPx: number };

export interface Candidate {
  alpha: number;
  params: number;
  log10Params: number;
  /** The exported model file with float32 weights, MB. */
  sizeMB: number;
  /** The exported model file at the constraint's bits per kernel weight (32 unless a disk budget says otherwise), MB. */
  sizeAtBitsMB: number;
  /** sizeAtBitsMB in bytes. */
  fileBytesAtBits: number;
  predicted: { f1: RelativeAccuracy; iou: RelativeAccuracy };
  /** For a memory budget: weights plus activations, MB. */
  memoryMB?: number;
}

export interface Selection extends Candidate {
  case: '2' | '1a' | '1b';
  /** Bits per kernel weight of sizeAtBitsMB (the disk budget's; 32 otherwise). */
  bits: number;
  feasible: boolean;
  /** Why no candidate meets the constraint (then the smallest candidate is returned). */
  reason?: string;
  nextSmaller: Candidate | null;
  candidates: Candidate[];
}

const MB = 1e6;

export function candidateAlphas(baseFilters: readonly number[], rounding: AlphaRounding): number[] {
  const smallest = Math.min(...baseFilters);
  if (!(smallest >= 1)) throw new RangeError('the network has no convolution filters to scale');
  if (rounding === 'integer-filters') return Array.from({ length: smallest }, (_, i) => (smallest - i) / smallest);
  const alphas: number[] = [];
  for (let alpha = 1; smallest * alpha >= 1; alpha /= 2) alphas.push(alpha);
  return alphas;
}

export interface SelectOptions {
  rounding?: AlphaRounding;
  /** Also consider widths narrower than the narrowest calibrated one. */
  allowExtrapolation?: boolean;
}

export function selectAlpha(size: NetworkSize, prediction: DatasetPrediction, constraint: Constraint, options: SelectOptions = {}): Selection {
  const rounding = options.rounding ?? 'powers-of-two';
  const bits = constraint.kind === 'disk' ? constraint.bitsPerWeight : 32;
  if (constraint.kind === 'accuracy' && !(constraint.target > 0 && constraint.target <= 1)) throw new RangeError(`the accuracy target ${constraint.target} must be above 0 and at most 1 (a fraction of the base network's F1)`);
  if (constraint.kind !== 'accuracy' && !(constraint.budgetMB > 0)) throw new RangeError(`the budget ${constraint.budgetMB} MB must be above 0`);
  const log10Base = Math.log10(size.paramsAt(1));
  const smallest = prediction.smallestCalibratedAlpha;
  const alphas = candidateAlphas(size.baseFilters, rounding).filter((alpha) => options.allowExtrapolation || alpha >= smallest - 1e-12);
  const candidates: Candidate[] = alphas.map((alpha) => {
    const params = size.paramsAt(alpha);
    const log10Params = Math.log10(params);
    const decades = log10Base - log10Params;
    const candidate: Candidate = {
      alpha,
      params,
      log10Params,
      sizeMB: size.fileBytesAt(alpha, 32) / MB,
      fileBytesAtBits: size.fileBytesAt(alpha, bits),
      sizeAtBitsMB: size.fileBytesAt(alpha, bits) / MB,
      predicted: { f1: relativeAccuracyAt(prediction.f1, decades, prediction.maxCalibratedDecades), iou: relativeAccuracyAt(prediction.iou, decades, prediction.maxCalibratedDecades) },
    };
    if (constraint.kind === 'memory') {
      candidate.memoryMB = (params * 4 + size.activationBytesAt(alpha, constraint.batch, constraint.heightPx, constraint.widthPx)) / MB;
    }
    return candidate;
  });
  // candidates run from alpha = 1 down to the smallest
  let chosenIndex: number;
  let reason: string | undefined;
  switch (constraint.kind) {
    case 'accuracy': {
      const meets = (c: Candidate) => c.predicted.f1.value >= constraint.target;
      chosenIndex = candidates.length - 1;
      while (chosenIndex > 0 && !meets(candidates[chosenIndex]!)) chosenIndex--;
      break;
    }
    case 'disk': {
      chosenIndex = candidates.findIndex((c) => c.fileBytesAtBits <= constraint.budgetMB * MB);
      if (chosenIndex < 0) {
        const smallest = candidates[candidates.length - 1]!;
        reason = `even alpha = ${formatAlpha(smallest.alpha)} needs ${smallest.sizeAtBitsMB.toPrecision(3)} MB on disk at ${bits} bits per weight; the budget is ${constraint.budgetMB} MB`;
      }
      break;
    }
    case 'memory': {
      chosenIndex = candidates.findIndex((c) => c.memoryMB! <= constraint.budgetMB);
      if (chosenIndex < 0) {
        const smallest = candidates[candidates.length - 1]!;
        reason = `even alpha = ${formatAlpha(smallest.alpha)} needs ${smallest.memoryMB!.toPrecision(3)} MB (weights and activations at batch ${constraint.batch}, ${constraint.heightPx}x${constraint.widthPx}); the budget is ${constraint.budgetMB} MB`;
      }
      break;
    }
  }
  const feasible = chosenIndex >= 0;
  const index = feasible ? chosenIndex : candidates.length - 1;
  const chosen = candidates[index]!;
  return {
    ...chosen,
    case: constraint.kind === 'accuracy' ? '2' : constraint.kind === 'disk' ? '1a' : '1b',
    bits,
    feasible,
    ...(reason ? { reason } : {}),
    nextSmaller: candidates[index + 1] ?? null,
    candidates,
  };
}

/** 0.125 -> "1/8"; other values as decimals. */
export function formatAlpha(alpha: number): string {
  if (alpha === 1) return '1';
  const inverse = 1 / alpha;
  if (Math.abs(inverse - Math.round(inverse)) < 1e-9) return `1/${Math.round(inverse)}`;
  return String(Number(alpha.toPrecision(4)));
}

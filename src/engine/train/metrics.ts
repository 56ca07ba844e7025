/**
 * Segmentation metrics used by the CC-Net paper and the seed papers, from the binary confusion
 * matrix of one image (foreground = positive):
 *
 *   F1 = Dice = 2 TP / (2 TP + FP + FN)        IoU (Jaccard) = TP / (TP + FP + FN)
 *   sensitivity (recall) = TP / (TP + FN)       specificity = TN / (TN + FP)
 *   precision = TP / (TP + FP)                  pixel accuracy = (TP + TN) / all pixels
 *
 * Empty cases: when a denominator is 0 the metric is 1 if the image has nothing to get wrong in
 * that respect (no foreground in truth or prediction: F1 = IoU = sensitivity = precision = 1;
 * no background: specificity = 1). Binary cross-entropy is the mean over pixels of
 * -(y ln p + (1 - y) ln(1 - p)) with p clipped to [1e-7, 1 - 1e-7] (natural log).
 */
import { summarize, type Summary } from '../util/stats';

export interface ConfusionMatrix {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface SegmentationMetrics {
  f1: number;
  iou: number;
  sensitivity: number;
  specificity: number;
  precision: number;
  accuracy: number;
  crossEntropy: number;
}

export const METRIC_NAMES: (keyof SegmentationMetrics)[] = ['f1', 'iou', 'sensitivity', 'specificity', 'precision', 'accuracy', 'crossEntropy'];
export const PREDICTION_THRESHOLD = 0.5;
const EPSILON = 1e-7;

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 1 : numerator / denominator);

/** Confusion matrix of a probability map (thresholded at 0.5: p >= 0.5 is foreground) against a 0/1 mask. */
export function confusionMatrix(probabilities: ArrayLike<number>, mask: ArrayLike<number>): ConfusionMatrix {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < mask.length; i++) {
    const predicted = probabilities[i]! >= PREDICTION_THRESHOLD;
    if (mask[i]) predicted ? tp++ : fn++;
    else predicted ? fp++ : tn++;
  }
  return { tp, fp, fn, tn };
}

export function metricsFromConfusion(m: ConfusionMatrix, crossEntropy = Number.NaN): SegmentationMetrics {
  return {
    f1: ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn),
    iou: ratio(m.tp, m.tp + m.fp + m.fn),
    sensitivity: ratio(m.tp, m.tp + m.fn),
    specificity: ratio(m.tn, m.tn + m.fp),
    precision: ratio(m.tp, m.tp + m.fp),
    accuracy: ratio(m.tp + m.tn, m.tp + m.tn + m.fp + m.fn),
    crossEntropy,
  };
}

export function binaryCrossEntropy(probabilities: ArrayLike<number>, mask: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < mask.length; i++) {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[i]!));
    sum -= mask[i] ? Math.log(p) : Math.log(1 - p);
  }
  return sum / mask.length;
}

export function imageMetrics(probabilities: ArrayLike<number>, mask: ArrayLike<number>): SegmentationMetrics {
  return metricsFromConfusion(confusionMatrix(probabilities, mask), binaryCrossEntropy(probabilities, mask));
}

/** Mean, sample standard deviation and count of every metric over images. */
export function summarizeMetrics(perImage: readonly SegmentationMetrics[]): Record<keyof SegmentationMetrics, Summary> {
  return Object.fromEntries(METRIC_NAMES.map((name) => [name, summarize(perImage.map((m) => m[name]))])) as Record<keyof SegmentationMetrics, Summary>;
}

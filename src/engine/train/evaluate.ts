/**
 * Evaluation of a model on samples: the main output thresholded at 0.5, per-image metrics and
 * their mean and standard deviation (metrics.ts has the definitions). Images larger than the
 * model's input are predicted tile by tile (predict.ts).
 */
import type * as tf from '../tf';
import type { SegmentationSample } from '../data/samples';
import type { Summary } from '../util/stats';
import { imageMetrics, summarizeMetrics, type SegmentationMetrics } from './metrics';
import { predictProbabilityMaps } from './predict';

export interface Evaluation {
  perImage: { id: string; metrics: SegmentationMetrics }[];
  summary: Record<keyof SegmentationMetrics, Summary>;
  /** Probability maps (h*w each), when asked for. */
  probabilities?: Float32Array[];
}

export async function evaluateModel(
  model: tf.LayersModel,
  samples: readonly SegmentationSample[],
  options: { batchSize?: number; keepProbabilities?: boolean; signal?: AbortSignal } = {},
): Promise<Evaluation> {
  if (samples.length === 0) throw new RangeError('there is nothing to evaluate: no samples');
  const maps = await predictProbabilityMaps(model, samples, options);
  const perImage: Evaluation['perImage'] = samples.map((sample, i) => ({ id: sample.id, metrics: imageMetrics(maps[i]!, sample.mask) }));
  const evaluation: Evaluation = { perImage, summary: summarizeMetrics(perImage.map((p) => p.metrics)) };
  if (options.keepProbabilities) evaluation.probabilities = maps;
  return evaluation;
}

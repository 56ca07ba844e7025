/**
 * Evaluation of a model on samples: the main output thresholded at 0.5, per-image metrics and
 * their mean and standard deviation (metrics.ts has the definitions).
 */
import * as tf from '@tensorflow/tfjs';
import type { SegmentationSample } from '../data/samples';
import type { Summary } from '../util/stats';
import { samplesToTensors } from './loop';
import { imageMetrics, summarizeMetrics, type SegmentationMetrics } from './metrics';

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
  const batchSize = options.batchSize ?? 4;
  const perImage: Evaluation['perImage'] = [];
  const probabilities: Float32Array[] = [];
  for (let start = 0; start < samples.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const batch = samples.slice(start, start + batchSize);
    const output = tf.tidy(() => {
      const { images } = samplesToTensors(batch);
      const out = model.predict(images) as tf.Tensor | tf.Tensor[];
      return Array.isArray(out) ? out[0]! : out;
    });
    const values = (await output.data()) as Float32Array;
    output.dispose();
    const pixels = batch[0]!.widthPx * batch[0]!.heightPx;
    batch.forEach((sample, i) => {
      const map = values.slice(i * pixels, (i + 1) * pixels);
      perImage.push({ id: sample.id, metrics: imageMetrics(map, sample.mask) });
      if (options.keepProbabilities) probabilities.push(map);
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const evaluation: Evaluation = { perImage, summary: summarizeMetrics(perImage.map((p) => p.metrics)) };
  if (options.keepProbabilities) evaluation.probabilities = probabilities;
  return evaluation;
}

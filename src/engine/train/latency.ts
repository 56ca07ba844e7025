/**
 * Inference latency: the median (and 90th percentile) of `runs` timed forward passes of one
 * batch after `warmUp` untimed ones, per image (batch time / batch size), on the current
 * TensorFlow.js backend, which the result names. Each pass is timed until its output values
 * are read back, so asynchronous backends are measured to completion.
 */
import * as tf from '../tf';
import { median } from '../util/stats';

export interface Latency {
  backend: string;
  batch: number;
  input: string;
  runs: number;
  medianMsPerImage: number;
  p90MsPerImage: number;
}

export async function measureLatency(model: tf.LayersModel, options: { batch?: number; runs?: number; warmUp?: number } = {}): Promise<Latency> {
  const batch = options.batch ?? 1;
  const runs = options.runs ?? 20;
  const warmUp = options.warmUp ?? 3;
  const [, h, w, c] = model.inputs[0]!.shape as number[];
  const input = tf.randomUniform([batch, h!, w!, c!], 0, 1, 'float32', 7);
  const pass = async () => {
    const out = model.predict(input) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(out) ? out : [out];
    await list[0]!.data();
    tf.dispose(list);
  };
  try {
    for (let i = 0; i < warmUp; i++) await pass();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await pass();
      times.push((performance.now() - start) / batch);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      backend: tf.getBackend(),
      batch,
      input: `${h}x${w}x${c}`,
      runs,
      medianMsPerImage: median(times),
      p90MsPerImage: sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)]!,
    };
  } finally {
    input.dispose();
  }
}

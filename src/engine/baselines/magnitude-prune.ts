/**
 * Magnitude (unstructured) pruning with retraining (Han, Pool, Tran and Dally, "Learning both
 * Weights and Connections for Efficient Neural Networks", NIPS 2015; the CC-Net paper's "Prune"
 * baseline): the fraction `ratio` of convolution kernel weights with the smallest absolute
 * values over the whole network is set to zero and kept at zero while the network is retrained
 * (a mask applied with the straight-through update, see the training loop's weightTransform).
 * Biases are kept. The network's shape does not change, so it is not faster on dense hardware,
 * and the exports store the zeros densely (the size of a sparse format is only an estimate, see
 * ../export/stored-form.ts).
 */
import * as tf from '../tf';

export interface MagnitudeMasks {
  /** Variable name -> 0/1 mask of its kernel. */
  masks: Map<string, tf.Tensor>;
  threshold: number;
  kernelWeights: number;
  zeroWeights: number;
}

function kernels(model: tf.LayersModel): tf.LayerVariable[] {
  return model.trainableWeights.filter((w) => w.shape.length === 4);
}

export function magnitudeMasks(model: tf.LayersModel, ratio: number): MagnitudeMasks {
  if (!(ratio >= 0 && ratio < 1)) throw new RangeError(`the pruning ratio must be at least 0 and below 1, not ${ratio}`);
  const all = new Float32Array(kernels(model).reduce((n, w) => n + w.read().size, 0));
  let offset = 0;
  for (const w of kernels(model)) {
    const values = w.read().dataSync();
    for (let i = 0; i < values.length; i++) all[offset + i] = Math.abs(values[i]!);
    offset += values.length;
  }
  const sorted = Float32Array.from(all).sort();
  const cut = Math.floor(ratio * sorted.length);
  const threshold = cut === 0 ? -Infinity : sorted[cut - 1]!;
  const masks = new Map<string, tf.Tensor>();
  let zeroWeights = 0;
  for (const w of kernels(model)) {
    const mask = tf.tidy(() => tf.cast(tf.greater(tf.abs(w.read()), threshold), 'float32'));
    zeroWeights += mask.size - (mask.sum().dataSync()[0] ?? 0);
    masks.set(w.name, mask);
  }
  return { masks, threshold, kernelWeights: sorted.length, zeroWeights };
}

/** The weight transform for the training loop: kernels multiplied by their masks. */
export function maskTransform(masks: MagnitudeMasks) {
  return (variable: tf.LayerVariable, value: tf.Tensor) => {
    const mask = masks.masks.get(variable.name);
    return mask ? tf.mul(value, mask) : undefined;
  };
}

export interface SparsityReport {
  /** zeroWeights / kernelWeights. */
  sparsity: number;
  kernelWeights: number;
  zeroWeights: number;
}

/** The kernel weights of the model that are zero. */
export function sparsity(model: tf.LayersModel): SparsityReport {
  let kernelWeights = 0;
  let zeroWeights = 0;
  for (const w of model.trainableWeights) {
    if (w.shape.length !== 4) continue;
    const values = w.read().dataSync();
    kernelWeights += values.length;
    for (const v of values) if (v === 0) zeroWeights++;
  }
  return { sparsity: kernelWeights ? zeroWeights / kernelWeights : 0, kernelWeights, zeroWeights };
}

export function disposeMasks(masks: MagnitudeMasks): void {
  tf.dispose([...masks.masks.values()]);
}

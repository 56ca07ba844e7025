/**
 * Weight quantization, as in the quantized-FCN study (Xu, Yang, Zhang and Shi, "Quantization of
 * Fully Convolutional Networks for Accurate Biomedical Image Segmentation", CVPR 2018):
 *
 * - Post-training: every convolution kernel is quantized uniformly to k bits per output channel
 *   (affine: per channel c, scale_c = (max_c - min_c) / (2^k - 1), q = round((w - min_c) /
 *   scale_c), w' = min_c + q scale_c). Biases stay 32-bit floats. The model then computes with
 *   the dequantized weights w', so its accuracy is the quantized network's.
 * - Quantization-aware training: the same quantizer in the forward pass with the
 *   straight-through estimator (gradients at the quantized weights update the float weights;
 *   see the training loop's weightTransform), then a final quantization.
 * - Memory: k bits per kernel weight plus, per output channel, min and scale as 32-bit floats,
 *   plus 32-bit biases; reduction = 32-bit size / quantized size.
 */
import * as tf from '../tf';
import { applyWeightTransform } from '../train/loop';

/** The output-channel axis of a kernel: 3 for a convolution, 2 for a transposed convolution. */
export type OutAxis = 2 | 3;

export function quantizePerChannel(kernel: tf.Tensor, bits: number, outAxis: OutAxis = 3): tf.Tensor {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new RangeError(`bits must be a whole number from 1 to 16, not ${bits}`);
  return tf.tidy(() => {
    // move the output axis last, flatten the rest: [n, channels]
    const moved = outAxis === 3 ? kernel : tf.transpose(kernel, [0, 1, 3, 2]);
    const channels = moved.shape[3]!;
    const flat = tf.reshape(moved, [-1, channels]);
    const low = tf.min(flat, 0);
    const high = tf.max(flat, 0);
    const levels = 2 ** bits - 1;
    const scale = tf.maximum(tf.div(tf.sub(high, low), levels), 1e-12);
    const q = tf.clipByValue(tf.round(tf.div(tf.sub(flat, low), scale)), 0, levels);
    const restored = tf.reshape(tf.add(tf.mul(q, scale), low), moved.shape);
    return outAxis === 3 ? restored : tf.transpose(restored, [0, 1, 3, 2]);
  });
}

/** The output axis of each kernel variable of a model, by variable name. */
export function kernelAxes(model: tf.LayersModel): Map<string, OutAxis> {
  const axes = new Map<string, OutAxis>();
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Conv2DTranspose') continue;
    const kernel = layer.trainableWeights.find((w) => w.shape.length === 4);
    if (kernel) axes.set(kernel.name, cls === 'Conv2D' ? 3 : 2);
  }
  return axes;
}

/** The weight transform for quantization-aware training (fake quantization of the kernels). */
export function fakeQuantTransform(model: tf.LayersModel, bits: number) {
  const axes = kernelAxes(model);
  return (variable: tf.LayerVariable, value: tf.Tensor) => {
    const axis = axes.get(variable.name);
    return axis === undefined ? undefined : quantizePerChannel(value, bits, axis);
  };
}

/** Quantizes every kernel of the model in place. */
export function quantizeModel(model: tf.LayersModel, bits: number): void {
  applyWeightTransform(model, fakeQuantTransform(model, bits));
}

export interface QuantizedSize {
  float32Bytes: number;
  quantizedBytes: number;
  reduction: number;
}

export function quantizedSize(model: tf.LayersModel, bits: number): QuantizedSize {
  const axes = kernelAxes(model);
  let float32Bytes = 0;
  let quantizedBits = 0;
  for (const w of model.trainableWeights) {
    const size = w.read().size;
    float32Bytes += 4 * size;
    const axis = axes.get(w.name);
    quantizedBits += axis === undefined ? 32 * size : bits * size + 2 * 32 * w.shape[axis]!;
  }
  const quantizedBytes = Math.ceil(quantizedBits / 8);
  return { float32Bytes, quantizedBytes, reduction: float32Bytes / quantizedBytes };
}

/**
 * Weight quantization, as in the quantized-FCN study (Xu, Yang, Zhang and Shi, "Quantization of
 * Fully Convolutional Networks for Accurate Biomedical Image Segmentation", CVPR 2018), in the
 * form every export stores (see ../export/stored-form.ts):
 *
 * - Post-training: every convolution kernel is quantized to k bits, symmetric per output channel
 *   c: L = 2^(k-1) - 1 levels each side of zero, scale_c = max_c |w| / L (a float32; 1 for an
 *   all-zero channel), q = round(w / scale_c) clipped to [-L, L], and the network computes with
 *   w' = q * scale_c (the float32 product, as ONNX's DequantizeLinear computes it). Biases stay
 *   32-bit floats. The scale is chosen so that quantizing w' again gives w' back (idempotent), so
 *   an exporter recovers q and scale_c exactly from the weights the network was evaluated with.
 * - Quantization-aware training: the same quantizer in the forward pass with the
 *   straight-through estimator (gradients at the quantized weights update the float weights;
 *   see the training loop's weightTransform), then a final quantization.
 */
import * as tf from '../tf';
import { applyWeightTransform } from '../train/loop';

/** The output-channel axis of a kernel in TensorFlow.js's layout: 3 for a convolution ([kh, kw, in, out]), 2 for a transposed convolution ([kh, kw, out, in]). */
export type OutAxis = 2 | 3;

/** Levels each side of zero at k bits: 2^(k-1) - 1 (127 at 8 bits, 7 at 4 bits). */
export function quantizationLevels(bits: number): number {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) throw new RangeError(`bits must be a whole number from 2 to 16, not ${bits}`);
  return 2 ** (bits - 1) - 1;
}

/** The float32 scale of a channel whose largest magnitude is `maxAbs`, at `levels` levels; a fixed point of scale -> fround(fround(levels * scale) / levels). */
export function channelScale(maxAbs: number, levels: number): number {
  if (!(maxAbs > 0)) return 1;
  let scale = Math.fround(maxAbs / levels);
  for (let i = 0; i < 4; i++) {
    const again = Math.fround(Math.fround(levels * scale) / levels);
    if (again === scale) break;
    scale = again;
  }
  return scale;
}

/** Integer codes and per-channel scales of a kernel (values in TensorFlow.js's layout, row-major). */
export interface ChannelCodes {
  /** q, in the kernel's layout. */
  codes: Int16Array;
  /** scale_c per output channel. */
  scales: Float32Array;
}

/** Index of the output channel of flat element i: the kernel's last two axes are (in, out) or (out, in). */
function channelOf(i: number, shape: readonly number[], axis: OutAxis): number {
  return axis === 3 ? i % shape[3]! : Math.floor(i / shape[3]!) % shape[2]!;
}

export function channelCodes(values: Float32Array, shape: readonly number[], axis: OutAxis, bits: number): ChannelCodes {
  const levels = quantizationLevels(bits);
  const channels = shape[axis]!;
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = channelOf(i, shape, axis);
    maxAbs[c] = Math.max(maxAbs[c]!, Math.abs(values[i]!));
  }
  const scales = Float32Array.from(maxAbs, (m) => channelScale(m, levels));
  const codes = new Int16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const q = Math.round(values[i]! / scales[channelOf(i, shape, axis)]!);
    codes[i] = Math.max(-levels, Math.min(levels, q));
  }
  return { codes, scales };
}

/** w' = fround(q * scale_c), the weights the quantized network computes with. */
export function dequantize(codes: ChannelCodes, shape: readonly number[], axis: OutAxis): Float32Array {
  return Float32Array.from(codes.codes, (q, i) => q * codes.scales[channelOf(i, shape, axis)]!);
}

export function quantizePerChannel(kernel: tf.Tensor, bits: number, outAxis: OutAxis = 3): tf.Tensor {
  const values = kernel.dataSync() as Float32Array;
  return tf.tensor(dequantize(channelCodes(values, kernel.shape, outAxis, bits), kernel.shape, outAxis), kernel.shape, 'float32');
}

/**
 * The codes of weights that are already k-bit per-channel values (a quantized network's), or a
 * description of the first element that is not: exporters store exactly what was evaluated.
 */
export function exactCodes(values: Float32Array, shape: readonly number[], axis: OutAxis, bits: number): ChannelCodes | string {
  const codes = channelCodes(values, shape, axis, bits);
  const restored = dequantize(codes, shape, axis);
  for (let i = 0; i < values.length; i++) {
    if (restored[i] !== values[i]) return `element ${i} is ${values[i]}, not a ${bits}-bit value of its channel (nearest ${restored[i]})`;
  }
  return codes;
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
  quantizationLevels(bits);
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

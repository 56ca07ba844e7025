/**
 * The stored form of a network: how each of its tensors is kept in the files an export writes.
 * The reported size, the disk-budget selection and every export derive from this one description.
 *
 * - Convolution kernels at k < 32 bits: symmetric integers per output channel (see
 *   ../baselines/quantize.ts), one float32 scale per output channel. The integers sit in the
 *   smallest container of at least k bits that ONNX has (INT4 for k <= 4, INT8 for k <= 8, INT16
 *   for k <= 16), so a 3-bit kernel takes as many bytes as a 4-bit one.
 * - Kernels at 32 bits, and every bias at every k: float32.
 * - Sparsity: the fraction of kernel weights that are zero and kept zero (magnitude pruning).
 *   The files store them densely, as zeros, so sparsity does not change their size; the size of
 *   a sparse format is an estimate (`sparseEstimateBytes`) that no export writes.
 *
 * Sizes in bytes (MB = 10^6 bytes).
 */
import { inferShapes, type NetworkGraph } from '../models/graph';
import type { OutAxis } from '../baselines/quantize';

export type StoredScheme = 'float32' | 'int-symmetric-per-channel';

export interface StoredTensor {
  /** The graph node (layer) the tensor belongs to. */
  layer: string;
  role: 'kernel' | 'bias';
  op: 'conv' | 'convT';
  /** In TensorFlow.js's layout: conv [kh, kw, in, out], convT [kh, kw, out, in], bias [out]. */
  shape: number[];
  scheme: StoredScheme;
  /** Bits each value is quantized to (32 for float32). */
  bits: number;
  /** Bits of the container each value is stored in (4, 8, 16 or 32). */
  containerBits: 4 | 8 | 16 | 32;
  /** Kernels: the output-channel axis of `shape`, which has one scale per index. */
  channelAxis?: OutAxis;
}

export interface StoredForm {
  /** Bits of every convolution kernel (32: float32, unquantized). */
  kernelBits: number;
  tensors: StoredTensor[];
  /** Fraction of kernel weights that are zero and stay zero (0 for dense networks). */
  sparsity: number;
  /** Weights + biases. */
  params: number;
}

/** The container of k-bit integers: 4, 8 or 16 bits; 32 for float32. */
export function containerBits(bits: number): 4 | 8 | 16 | 32 {
  if (bits === 32) return 32;
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) throw new RangeError(`bits must be a whole number from 2 to 16, or 32 (float), not ${bits}`);
  return bits <= 4 ? 4 : bits <= 8 ? 8 : 16;
}

export function storedForm(graph: NetworkGraph, inputChannels: number, kernelBits = 32, sparsity = 0): StoredForm {
  const container = containerBits(kernelBits);
  const shapes = inferShapes(graph, { heightPx: 64, widthPx: 64, channels: inputChannels });
  const tensors: StoredTensor[] = [];
  for (const node of graph.nodes) {
    if (node.op !== 'conv' && node.op !== 'convT') continue;
    const cin = shapes.get(node.from)!.channels;
    const k = node.kernel;
    const shape = node.op === 'conv' ? [k, k, cin, node.filters] : [k, k, node.filters, cin];
    const quantized = kernelBits < 32;
    tensors.push({
      layer: node.name,
      role: 'kernel',
      op: node.op,
      shape,
      scheme: quantized ? 'int-symmetric-per-channel' : 'float32',
      bits: kernelBits,
      containerBits: container,
      ...(quantized ? { channelAxis: node.op === 'conv' ? 3 : 2 } : {}),
    });
    tensors.push({ layer: node.name, role: 'bias', op: node.op, shape: [node.filters], scheme: 'float32', bits: 32, containerBits: 32 });
  }
  const params = tensors.reduce((n, t) => n + elements(t), 0);
  return { kernelBits, tensors, sparsity, params };
}

export function elements(tensor: StoredTensor): number {
  return tensor.shape.reduce((a, b) => a * b, 1);
}

/** Bytes of a tensor's values in its container (4-bit values two to a byte, rounded up). */
export function valueBytes(tensor: StoredTensor): number {
  return Math.ceil((elements(tensor) * tensor.containerBits) / 8);
}

/** Bytes of a tensor's per-channel float32 scales (0 for float32 tensors). */
export function scaleBytes(tensor: StoredTensor): number {
  return tensor.channelAxis === undefined ? 0 : 4 * tensor.shape[tensor.channelAxis]!;
}

/** Values and scales of every tensor: the payload any file format must hold, without its own structure. */
export function payloadBytes(form: StoredForm): number {
  return form.tensors.reduce((n, t) => n + valueBytes(t) + scaleBytes(t), 0);
}

/** Bits per parameter of the payload (32 for a float network; 8-bit kernels: a little above 8). */
export function payloadBitsPerParam(form: StoredForm): number {
  return (payloadBytes(form) * 8) / form.params;
}

/**
 * An estimate, written by no export: the size in a sparse format (a bitmask of all kernel
 * weights, the non-zero kernel weights in their containers, scales and biases).
 */
export function sparseEstimateBytes(form: StoredForm): number {
  let bytes = 0;
  for (const t of form.tensors) {
    if (t.role === 'bias') bytes += valueBytes(t);
    else bytes += Math.ceil(elements(t) / 8) + Math.ceil((elements(t) * (1 - form.sparsity) * t.containerBits) / 8) + scaleBytes(t);
  }
  return bytes;
}

/** One line for tables and cards: "float32", "8-bit kernels (int8, per-channel scales), float32 biases". */
export function describeStoredForm(form: StoredForm): string {
  const kernels = form.kernelBits === 32 ? 'float32' : `${form.kernelBits}-bit kernels (symmetric per output channel, in int${containerBits(form.kernelBits)}, float32 scales), float32 biases`;
  return form.sparsity > 0 ? `${kernels}; ${(form.sparsity * 100).toFixed(1)}% of kernel weights zero (stored densely)` : kernels;
}

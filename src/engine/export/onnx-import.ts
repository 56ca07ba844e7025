/**
 * Reads back a model.onnx that ./onnx-export.ts wrote: the network's graph (../models/graph.ts,
 * main output only: auxiliary outputs are not exported) and every layer's weights in
 * TensorFlow.js's layout, integer kernels dequantized as DequantizeLinear does (q * scale in
 * float32, per output channel), so the rebuilt network computes what the file computes.
 * Files from other producers are refused where they differ from that form.
 */
import type { Activation, GraphNode, NetworkGraph } from '../models/graph';
import type { LayerWeights } from './onnx-export';
import { ONNX_TYPE, onnxType } from './onnx-proto';

interface OnnxTensor { name: string; dims: number[]; data_type: number; raw_data?: Uint8Array }
interface OnnxNode { name: string; op_type: string; input: string[]; output: string[]; attribute?: { name: string; i?: number; ints?: number[] }[] }

/** [b, a, kh, kw] (row-major) to TensorFlow.js's [kh, kw, a, b]. */
function fromOnnxLayout(values: Float32Array, dims: readonly number[]): Float32Array {
  const [b, a, kh, kw] = dims as [number, number, number, number];
  const out = new Float32Array(values.length);
  for (let o = 0; o < b; o++) for (let i = 0; i < a; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[((y * kw + x) * a + i) * b + o] = values[((o * a + i) * kh + y) * kw + x]!;
  return out;
}

function floats(tensor: OnnxTensor): Float32Array {
  const raw = tensor.raw_data ?? new Uint8Array(0);
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function integers(tensor: OnnxTensor): Int16Array {
  const raw = tensor.raw_data ?? new Uint8Array(0);
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.data_type === ONNX_TYPE.INT8) return Int16Array.from(new Int8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)));
  if (tensor.data_type === ONNX_TYPE.INT16) return new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  if (tensor.data_type === ONNX_TYPE.INT4) return Int16Array.from({ length: count }, (_, i) => ((((raw[i >> 1]! >> (i % 2 === 0 ? 0 : 4)) & 0xf) ^ 8) - 8));
  throw new RangeError(`initializer ${tensor.name} has ONNX type ${tensor.data_type}, not FLOAT, INT8, INT4 or INT16`);
}

export interface ImportedOnnx {
  graph: NetworkGraph;
  input: { heightPx: number; widthPx: number; channels: number };
  weights: Map<string, LayerWeights>;
  /** Bits of the integer kernels (8, 4 or 16 by container), 32 when float. */
  containerBits: number;
}

export function importOnnx(bytes: Uint8Array): ImportedOnnx {
  const model = onnxType('ModelProto').toObject(onnxType('ModelProto').decode(bytes), { longs: Number, defaults: true }) as {
    graph: { node: OnnxNode[]; initializer: OnnxTensor[]; input: { name: string; type: { tensor_type: { shape: { dim: { dim_value?: number }[] } } } }[] };
  };
  const initializers = new Map(model.graph.initializer.map((t) => [t.name, t]));
  const [, channels, heightPx, widthPx] = model.graph.input[0]!.type.tensor_type.shape.dim.map((d) => d.dim_value ?? 0) as [number, number, number, number];
  const nodes: GraphNode[] = [{ op: 'input', name: 'input' }];
  const graphNameOf = new Map<string, string>([['input', 'input']]);
  const convs = new Map<string, Extract<GraphNode, { op: 'conv' | 'convT' }>>();
  const dequantized = new Map<string, { codes: Int16Array; scales: Float32Array; dims: number[]; axis: number; type: number }>();
  const weights = new Map<string, LayerWeights>();
  let containerBits = 32;
  const value = (name: string) => {
    const found = graphNameOf.get(name);
    if (!found) throw new RangeError(`model.onnx uses ${name} before any node makes it`);
    return found;
  };
  const attribute = (node: OnnxNode, name: string) => node.attribute?.find((a) => a.name === name);
  for (const node of model.graph.node) {
    switch (node.op_type) {
      case 'DequantizeLinear': {
        const q = initializers.get(node.input[0]!)!;
        const scales = floats(initializers.get(node.input[1]!)!);
        dequantized.set(node.output[0]!, { codes: integers(q), scales, dims: q.dims, axis: attribute(node, 'axis')?.i ?? 1, type: q.data_type });
        containerBits = q.data_type === ONNX_TYPE.INT4 ? 4 : q.data_type === ONNX_TYPE.INT8 ? 8 : 16;
        break;
      }
      case 'Conv':
      case 'ConvTranspose': {
        const [from, weightName, biasName] = node.input as [string, string, string];
        const float = initializers.get(weightName);
        const quantized = dequantized.get(weightName);
        const dims = float?.dims ?? quantized!.dims;
        let onnxValues: Float32Array;
        if (float) onnxValues = floats(float);
        else {
          const { codes, scales, axis } = quantized!;
          const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
          onnxValues = Float32Array.from(codes, (q, i) => q * scales[Math.floor(i / inner) % dims[axis]!]!);
        }
        const transposed = node.op_type === 'ConvTranspose';
        const filters = transposed ? dims[1]! : dims[0]!;
        const kernel = (attribute(node, 'kernel_shape')?.ints ?? [dims[2]!])[0]!;
        const stride = (attribute(node, 'strides')?.ints ?? [1])[0]!;
        const conv = transposed
          ? { op: 'convT' as const, name: node.name, from: value(from), filters, kernel, stride, activation: 'linear' as Activation }
          : { op: 'conv' as const, name: node.name, from: value(from), filters, kernel, ...(stride !== 1 ? { stride } : {}), activation: 'linear' as Activation };
        nodes.push(conv);
        convs.set(node.output[0]!, conv);
        weights.set(node.name, { kernel: fromOnnxLayout(onnxValues, dims), bias: floats(initializers.get(biasName)!) });
        graphNameOf.set(node.output[0]!, node.name);
        break;
      }
      case 'Relu':
      case 'Sigmoid': {
        const activation: Activation = node.op_type === 'Relu' ? 'relu' : 'sigmoid';
        const conv = convs.get(node.input[0]!);
        if (conv && node.input[0]!.endsWith('.linear')) {
          conv.activation = activation;
          graphNameOf.set(node.output[0]!, conv.name);
        } else {
          nodes.push({ op: 'activation', name: node.output[0]!, from: value(node.input[0]!), activation });
          graphNameOf.set(node.output[0]!, node.output[0]!);
        }
        break;
      }
      case 'MaxPool':
        nodes.push({ op: 'pool', name: node.output[0]!, from: value(node.input[0]!) });
        graphNameOf.set(node.output[0]!, node.output[0]!);
        break;
      case 'Concat':
        nodes.push({ op: 'concat', name: node.output[0]!, from: node.input.map(value) });
        graphNameOf.set(node.output[0]!, node.output[0]!);
        break;
      case 'Add':
      case 'Sum':
        nodes.push({ op: 'add', name: node.output[0]!, from: node.input.map(value) });
        graphNameOf.set(node.output[0]!, node.output[0]!);
        break;
      case 'Identity':
        if (node.output[0] === 'output' && !nodes.some((n) => n.name === 'output')) graphNameOf.set('output', value(node.input[0]!));
        else {
          nodes.push({ op: 'activation', name: node.output[0]!, from: value(node.input[0]!), activation: 'linear' });
          graphNameOf.set(node.output[0]!, node.output[0]!);
        }
        break;
      default:
        throw new RangeError(`model.onnx has a ${node.op_type} node (${node.name}), which CC-Net's exports do not write`);
    }
  }
  return { graph: { nodes, outputs: [value('output')] }, input: { heightPx, widthPx, channels }, weights, containerBits };
}

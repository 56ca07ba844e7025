/**
 * ONNX export of a network as its stored form describes it (./stored-form.ts), written with
 * protobufjs from the ONNX schema (./onnx-proto.ts).
 *
 * The graph takes `input` [N, C, H, W] (float32, the standardised image, see
 * ../train/tensors.ts) and gives `output` [N, 1, H, W], the main output's probabilities.
 * Layers: Conv (explicit pads equal to TensorFlow's 'same'), ConvTranspose (pads: 'same' crops
 * k - s, floor half at the start), MaxPool 2x2 stride 2, Concat on channels, Add / Sum,
 * Relu / Sigmoid; for the patch networks (dcnn, dccn) valid Conv (no pads), Slice for their
 * crops, Softmax over the channels, and `output` [N, 1, 1, 1], the cell probability of the
 * patch's labelled pixel (the softmax's channel 1; opening such a file again is not supported). Kernels are moved from TensorFlow.js's [kh, kw, a, b] to ONNX's [b, a, kh, kw]
 * (Conv: [out, in, kh, kw], ConvTranspose: [in, out, kh, kw]). Quantized kernels are integer
 * initializers (INT4, INT8 or INT16) with one float32 scale per output channel, dequantized by
 * DequantizeLinear (axis 0 for Conv, 1 for ConvTranspose; zero point 0), which computes q * scale
 * in float32 as the evaluated network did. Opset 13 (IR 7) when every integer is INT8, else 21 (IR 10).
 *
 * The file's size depends only on the stored form, the graph and the input size, not on the
 * weight values, so `onnxFileBytes` gives the exact size before a network is trained.
 */
import { inferShapes, type NetworkGraph, type Shape } from '../models/graph';
import { exactCodes } from '../baselines/quantize';
import { describeStoredForm, elements, type StoredForm, type StoredTensor } from './stored-form';
import { ONNX_ATTRIBUTE, ONNX_TYPE, onnxType, varintBytes } from './onnx-proto';
import { INPUT_PREPROCESSING } from '../train/tensors';

export const ONNX_FILE = 'model.onnx';
export const ONNX_PRODUCER = 'CC-Net Studio';

/** A layer's weights in TensorFlow.js's layout. */
export interface LayerWeights {
  kernel: Float32Array;
  bias: Float32Array;
}

type Attribute = { name: string; type: number; i?: number; ints?: number[]; f?: number };
type Tensor = { name: string; dims: number[]; data_type: number; raw_data: Uint8Array };

const ints = (name: string, values: number[]): Attribute => ({ name, type: ONNX_ATTRIBUTE.INTS, ints: values });

/** [kh, kw, a, b] (row-major) to [b, a, kh, kw]. */
export function toOnnxLayout<T extends Float32Array | Int16Array>(values: T, shape: readonly number[]): T {
  const [kh, kw, a, b] = shape as [number, number, number, number];
  const out = new (values.constructor as new (n: number) => T)(values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < a; i++)
        for (let o = 0; o < b; o++) out[((o * a + i) * kh + y) * kw + x] = values[((y * kw + x) * a + i) * b + o]!;
  return out;
}

function floatBytes(values: Float32Array): Uint8Array {
  const copy = Float32Array.from(values);
  return new Uint8Array(copy.buffer);
}

/** Integers in their container: INT4 two to a byte (first in the low nibble), INT8, or INT16 little-endian. */
function integerBytes(codes: Int16Array, containerBits: 4 | 8 | 16): Uint8Array {
  if (containerBits === 8) return new Uint8Array(Int8Array.from(codes).buffer);
  if (containerBits === 16) return new Uint8Array(Int16Array.from(codes).buffer);
  const out = new Uint8Array(Math.ceil(codes.length / 2));
  for (let i = 0; i < codes.length; i++) out[i >> 1]! |= (codes[i]! & 0xf) << (i % 2 === 0 ? 0 : 4);
  return out;
}

const INTEGER_TYPE = { 4: ONNX_TYPE.INT4, 8: ONNX_TYPE.INT8, 16: ONNX_TYPE.INT16 } as const;

function valueInfo(name: string, dims: (number | string)[]) {
  return { name, type: { tensor_type: { elem_type: ONNX_TYPE.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } } } };
}

function softmaxOutput(graph: NetworkGraph): boolean {
  return graph.nodes.some((n) => n.name === graph.outputs[0] && n.op === 'activation' && n.activation === 'softmax');
}

function opsetOf(form: StoredForm): number {
  return form.tensors.some((t) => t.containerBits === 4 || t.containerBits === 16) ? 21 : 13;
}

interface BuiltModel {
  model: Record<string, unknown>;
  /** Initializers, in graph order, and the byte length their raw_data has in the real file. */
  tensors: { tensor: Tensor; rawBytes: number }[];
}

/**
 * The ONNX model as a plain object. Without `weightsOf` every raw_data is one byte (for sizing);
 * with it, quantized kernels must already hold k-bit per-channel values (they are checked).
 */
function buildModel(graph: NetworkGraph, input: Shape, form: StoredForm, weightsOf?: (layer: string) => LayerWeights): BuiltModel {
  const shapes = inferShapes(graph, input);
  const byLayer = new Map<string, StoredTensor[]>();
  for (const t of form.tensors) byLayer.set(t.layer, [...(byLayer.get(t.layer) ?? []), t]);
  const nodes: Record<string, unknown>[] = [];
  const tensors: BuiltModel['tensors'] = [];
  const values = new Map<string, string>(); // graph node -> ONNX value name
  const addTensor = (name: string, dims: number[], dataType: number, rawBytes: number, raw?: Uint8Array) => {
    tensors.push({ tensor: { name, dims, data_type: dataType, raw_data: raw ?? new Uint8Array(1) }, rawBytes });
  };
  const activate = (name: string, from: string, activation: string) => {
    if (activation === 'linear') return from;
    if (activation === 'softmax') {
      nodes.push({ name: `${name}.softmax`, op_type: 'Softmax', input: [from], output: [name], attribute: [{ name: 'axis', type: ONNX_ATTRIBUTE.INT, i: 1 }] });
      return name;
    }
    nodes.push({ name: `${name}.${activation}`, op_type: activation === 'relu' ? 'Relu' : 'Sigmoid', input: [from], output: [name] });
    return name;
  };
  const int64s = (name: string, values: number[]) => {
    const raw = new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);
    addTensor(name, [values.length], ONNX_TYPE.INT64, raw.length, raw);
    return name;
  };
  for (const node of graph.nodes) {
    switch (node.op) {
      case 'input':
        values.set(node.name, 'input');
        break;
      case 'conv':
      case 'convT': {
        const [kernel, bias] = byLayer.get(node.name) ?? [];
        if (!kernel || !bias) throw new Error(`internal: the stored form has no tensors of layer ${node.name}`);
        const weights = weightsOf?.(node.name);
        const onnxDims = [kernel.shape[3]!, kernel.shape[2]!, kernel.shape[0]!, kernel.shape[1]!];
        const weightName = `${node.name}.weight`;
        if (kernel.scheme === 'float32') {
          addTensor(weightName, onnxDims, ONNX_TYPE.FLOAT, 4 * elements(kernel), weights && floatBytes(toOnnxLayout(weights.kernel, kernel.shape)));
        } else {
          const container = kernel.containerBits as 4 | 8 | 16;
          const channels = kernel.shape[kernel.channelAxis!]!;
          let codes: Int16Array | undefined;
          let scales: Float32Array | undefined;
          if (weights) {
            const exact = exactCodes(weights.kernel, kernel.shape, kernel.channelAxis!, kernel.bits);
            if (typeof exact === 'string') throw new Error(`the kernel of ${node.name} is not ${kernel.bits}-bit: ${exact}; quantize the network before exporting it at ${kernel.bits} bits`);
            codes = toOnnxLayout(exact.codes, kernel.shape);
            scales = exact.scales;
          }
          addTensor(`${weightName}_quantized`, onnxDims, INTEGER_TYPE[container], Math.ceil((elements(kernel) * container) / 8), codes && integerBytes(codes, container));
          addTensor(`${weightName}_scale`, [channels], ONNX_TYPE.FLOAT, 4 * channels, scales && floatBytes(scales));
          nodes.push({ name: `${weightName}_dequantize`, op_type: 'DequantizeLinear', input: [`${weightName}_quantized`, `${weightName}_scale`], output: [weightName], attribute: [{ name: 'axis', type: ONNX_ATTRIBUTE.INT, i: node.op === 'conv' ? 0 : 1 }] });
        }
        addTensor(`${node.name}.bias`, [node.filters], ONNX_TYPE.FLOAT, 4 * node.filters, weights && floatBytes(weights.bias));
        const from = values.get(node.from)!;
        const stride = node.stride ?? 1;
        const k = node.kernel;
        let pads: number[];
        if (node.op === 'conv' && node.padding === 'valid') {
          pads = [0, 0, 0, 0];
        } else if (node.op === 'conv') {
          const inShape = shapes.get(node.from)!;
          const pad = (size: number) => Math.max((Math.ceil(size / stride) - 1) * stride + k - size, 0);
          const [h, w] = [pad(inShape.heightPx), pad(inShape.widthPx)];
          pads = [Math.floor(h / 2), Math.floor(w / 2), h - Math.floor(h / 2), w - Math.floor(w / 2)];
        } else {
          const total = k - stride;
          if (total < 0) throw new RangeError(`transposed convolution ${node.name}: kernel ${k} smaller than its stride ${stride} has no ONNX form here`);
          pads = [Math.floor(total / 2), Math.floor(total / 2), total - Math.floor(total / 2), total - Math.floor(total / 2)];
        }
        const linear = `${node.name}${node.activation === 'linear' ? '' : '.linear'}`;
        nodes.push({ name: node.name, op_type: node.op === 'conv' ? 'Conv' : 'ConvTranspose', input: [from, weightName, `${node.name}.bias`], output: [linear], attribute: [ints('kernel_shape', [k, k]), ints('strides', [stride, stride]), ints('pads', pads)] });
        values.set(node.name, activate(node.name, linear, node.activation));
        break;
      }
      case 'pool':
        nodes.push({ name: node.name, op_type: 'MaxPool', input: [values.get(node.from)!], output: [node.name], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] });
        values.set(node.name, node.name);
        break;
      case 'crop': {
        const { heightPx, widthPx } = shapes.get(node.from)!;
        const c = node.crop;
        nodes.push({ name: node.name, op_type: 'Slice', input: [values.get(node.from)!, int64s(`${node.name}.starts`, [c, c]), int64s(`${node.name}.ends`, [heightPx - c, widthPx - c]), int64s(`${node.name}.axes`, [2, 3])], output: [node.name] });
        values.set(node.name, node.name);
        break;
      }
      case 'concat':
        nodes.push({ name: node.name, op_type: 'Concat', input: node.from.map((f) => values.get(f)!), output: [node.name], attribute: [{ name: 'axis', type: ONNX_ATTRIBUTE.INT, i: 1 }] });
        values.set(node.name, node.name);
        break;
      case 'add':
        nodes.push({ name: node.name, op_type: node.from.length === 2 ? 'Add' : 'Sum', input: node.from.map((f) => values.get(f)!), output: [node.name] });
        values.set(node.name, node.name);
        break;
      case 'activation': {
        const from = values.get(node.from)!;
        if (node.activation === 'linear') nodes.push({ name: node.name, op_type: 'Identity', input: [from], output: [node.name] });
        values.set(node.name, node.activation === 'linear' ? node.name : activate(node.name, from, node.activation));
        break;
      }
    }
  }
  const main = graph.outputs[0]!;
  let mainValue = values.get(main)!;
  let outShape = shapes.get(main)!;
  if (softmaxOutput(graph)) {
    // a patch network: the output is the cell channel (1) of its two-class softmax
    nodes.push({ name: 'cell', op_type: 'Slice', input: [mainValue, int64s('cell.starts', [1]), int64s('cell.ends', [2]), int64s('cell.axes', [1])], output: ['output'] });
    mainValue = 'output';
    outShape = { ...outShape, channels: 1 };
  }
  if (mainValue !== 'output') nodes.push({ name: 'output', op_type: 'Identity', input: [mainValue], output: ['output'] });
  const opset = opsetOf(form);
  const model = {
    ir_version: opset >= 21 ? 10 : 7,
    opset_import: [{ domain: '', version: opset }],
    producer_name: ONNX_PRODUCER,
    graph: {
      name: 'network',
      node: nodes,
      initializer: tensors.map((t) => t.tensor),
      input: [valueInfo('input', ['N', input.channels, input.heightPx, input.widthPx])],
      output: [valueInfo('output', ['N', outShape.channels, outShape.heightPx, outShape.widthPx])],
    },
    metadata_props: [
      { key: 'preprocessing', value: INPUT_PREPROCESSING },
      { key: 'stored_form', value: describeStoredForm(form) },
      { key: 'output', value: 'foreground probability per pixel; a pixel is foreground at probability >= 0.5' },
    ],
  };
  return { model, tensors };
}

/** The bytes of model.onnx for a trained network (its weights in TensorFlow.js's layout, per layer). */
export function encodeOnnx(graph: NetworkGraph, input: Shape, form: StoredForm, weightsOf: (layer: string) => LayerWeights): Uint8Array {
  const { model } = buildModel(graph, input, form, weightsOf);
  return onnxType('ModelProto').encode(onnxType('ModelProto').fromObject(model)).finish();
}

/** The exact size of model.onnx, from the stored form alone (no weights needed). */
export function onnxFileBytes(graph: NetworkGraph, input: Shape, form: StoredForm): number {
  const { model, tensors } = buildModel(graph, input, form);
  const encoded = (type: 'ModelProto' | 'TensorProto', value: unknown) => onnxType(type).encode(onnxType(type).fromObject(value as Record<string, unknown>)).finish().length;
  const framed = (length: number) => length + varintBytes(length);
  // the placeholder raw_data is a tag, a length and one byte (3 bytes); the real one a tag, its length and the bytes
  let graphGrowth = 0;
  for (const { tensor, rawBytes } of tensors) {
    const placeholder = encoded('TensorProto', tensor);
    graphGrowth += framed(placeholder - 3 + 1 + varintBytes(rawBytes) + rawBytes) - framed(placeholder);
  }
  const graphPlaceholder = onnxType('GraphProto').encode(onnxType('GraphProto').fromObject(model.graph as Record<string, unknown>)).finish().length;
  return encoded('ModelProto', model) - framed(graphPlaceholder) + framed(graphPlaceholder + graphGrowth);
}

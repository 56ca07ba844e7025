/**
 * A network as a list of nodes (the same description builds the TensorFlow.js model and gives
 * the closed-form parameter count, FLOPs and activation memory, so budgets use exact numbers).
 *
 * Conventions:
 * - convolutions use 'same' padding unless `padding: 'valid'` (the patch networks, ./dcnn.ts and
 *   ./dccn.ts): a 'same' convolution changes the spatial size only by its stride, a valid one
 *   (stride 1) takes k - 1 rows and columns off; pooling is 2x2 with stride 2 (size floor(n/2)),
 *   transposed convolutions multiply by their stride, and `crop` takes `crop` pixels off every
 *   side (the dense blocks' valid concatenations);
 * - #params of a convolution = k*k*cin*cout + cout (weights + bias); a transposed convolution
 *   likewise;
 * - FLOPs = 2 x multiply-adds: a convolution does outH*outW*k*k*cin*cout multiply-adds, a
 *   transposed convolution inH*inW*k*k*cin*cout; pooling, additions, activations not counted;
 * - activation memory = the sum of every node's output tensor (the input included) for one
 *   forward pass, batch x H x W x C values.
 */
import * as tf from '../tf';

/** 'softmax' is over the channels (the patch networks' two classes, background and cell). */
export type Activation = 'relu' | 'sigmoid' | 'linear' | 'softmax';

export type GraphNode =
  | { op: 'input'; name: string }
  | { op: 'conv'; name: string; from: string; filters: number; kernel: number; stride?: number; padding?: 'same' | 'valid'; activation: Activation }
  | { op: 'convT'; name: string; from: string; filters: number; kernel: number; stride: number; activation: Activation }
  | { op: 'pool'; name: string; from: string }
  | { op: 'crop'; name: string; from: string; crop: number }
  | { op: 'concat'; name: string; from: string[] }
  | { op: 'add'; name: string; from: string[] }
  | { op: 'activation'; name: string; from: string; activation: Activation };

export interface NetworkGraph {
  nodes: GraphNode[];
  /** Output node names; the first is the main prediction. */
  outputs: string[];
}

export interface Shape {
  heightPx: number;
  widthPx: number;
  channels: number;
}

/** Every node's output shape for an input shape. */
export function inferShapes(graph: NetworkGraph, input: Shape): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  const get = (name: string) => {
    const shape = shapes.get(name);
    if (!shape) throw new Error(`internal: node ${name} is used before it is defined`);
    return shape;
  };
  for (const node of graph.nodes) {
    switch (node.op) {
      case 'input':
        shapes.set(node.name, input);
        break;
      case 'conv': {
        const s = get(node.from);
        const stride = node.stride ?? 1;
        if (node.padding === 'valid') {
          if (stride !== 1) throw new RangeError(`internal: valid convolution ${node.name} has stride ${stride}; only stride 1 is supported`);
          const heightPx = s.heightPx - node.kernel + 1;
          const widthPx = s.widthPx - node.kernel + 1;
          if (heightPx < 1 || widthPx < 1) throw new RangeError(`the input is too small: ${node.name} (a valid ${node.kernel}x${node.kernel} convolution) gets a ${s.heightPx}x${s.widthPx} map`);
          shapes.set(node.name, { heightPx, widthPx, channels: node.filters });
        } else {
          shapes.set(node.name, { heightPx: Math.ceil(s.heightPx / stride), widthPx: Math.ceil(s.widthPx / stride), channels: node.filters });
        }
        break;
      }
      case 'convT': {
        const s = get(node.from);
        shapes.set(node.name, { heightPx: s.heightPx * node.stride, widthPx: s.widthPx * node.stride, channels: node.filters });
        break;
      }
      case 'pool': {
        const s = get(node.from);
        if (s.heightPx < 2 || s.widthPx < 2) throw new RangeError(`the input is too small: pooling ${node.name} gets a ${s.heightPx}x${s.widthPx} map`);
        shapes.set(node.name, { heightPx: Math.floor(s.heightPx / 2), widthPx: Math.floor(s.widthPx / 2), channels: s.channels });
        break;
      }
      case 'crop': {
        const s = get(node.from);
        if (s.heightPx <= 2 * node.crop || s.widthPx <= 2 * node.crop) throw new RangeError(`the input is too small: ${node.name} crops ${node.crop} px off every side of a ${s.heightPx}x${s.widthPx} map`);
        shapes.set(node.name, { heightPx: s.heightPx - 2 * node.crop, widthPx: s.widthPx - 2 * node.crop, channels: s.channels });
        break;
      }
      case 'concat': {
        const parts = node.from.map(get);
        if (parts.some((p) => p.heightPx !== parts[0]!.heightPx || p.widthPx !== parts[0]!.widthPx)) throw new Error(`internal: the inputs of ${node.name} differ in size`);
        shapes.set(node.name, { ...parts[0]!, channels: parts.reduce((sum, p) => sum + p.channels, 0) });
        break;
      }
      case 'add':
      case 'activation':
        shapes.set(node.name, get(Array.isArray(node.from) ? node.from[0]! : node.from));
        break;
    }
  }
  return shapes;
}

/** Input channels of every node (they do not depend on the spatial size). */
function channelsOf(graph: NetworkGraph, inputChannels: number): Map<string, number> {
  const channels = new Map<string, number>();
  for (const node of graph.nodes) {
    if (node.op === 'input') channels.set(node.name, inputChannels);
    else if (node.op === 'conv' || node.op === 'convT') channels.set(node.name, node.filters);
    else if (node.op === 'concat') channels.set(node.name, node.from.reduce((sum, f) => sum + channels.get(f)!, 0));
    else channels.set(node.name, channels.get(Array.isArray(node.from) ? node.from[0]! : node.from)!);
  }
  return channels;
}

/** Closed-form #params of every convolution (k*k*cin*cout weights + cout biases), in graph order. */
export function layerParams(graph: NetworkGraph, inputChannels: number): { name: string; op: 'conv' | 'convT'; kernel: number; inputChannels: number; filters: number; params: number }[] {
  const channels = channelsOf(graph, inputChannels);
  return graph.nodes.flatMap((node) => {
    if (node.op !== 'conv' && node.op !== 'convT') return [];
    const cin = channels.get(node.from)!;
    return [{ name: node.name, op: node.op, kernel: node.kernel, inputChannels: cin, filters: node.filters, params: node.kernel * node.kernel * cin * node.filters + node.filters }];
  });
}

/** Closed-form #params (weights + biases). */
export function graphParams(graph: NetworkGraph, inputChannels: number): number {
  return layerParams(graph, inputChannels).reduce((sum, layer) => sum + layer.params, 0);
}

/** FLOPs of one forward pass (2 x multiply-adds of the convolutions). */
export function graphFlops(graph: NetworkGraph, input: Shape, batch: number): number {
  const shapes = inferShapes(graph, input);
  let macs = 0;
  for (const node of graph.nodes) {
    if (node.op === 'conv') {
      const out = shapes.get(node.name)!;
      macs += out.heightPx * out.widthPx * node.kernel * node.kernel * shapes.get(node.from)!.channels * node.filters;
    } else if (node.op === 'convT') {
      const from = shapes.get(node.from)!;
      macs += from.heightPx * from.widthPx * node.kernel * node.kernel * from.channels * node.filters;
    }
  }
  return 2 * macs * batch;
}

/** Bytes of every node's output for one forward pass. */
export function graphActivationBytes(graph: NetworkGraph, input: Shape, batch: number, bytesPerValue = 4): number {
  let values = 0;
  for (const shape of inferShapes(graph, input).values()) values += shape.heightPx * shape.widthPx * shape.channels;
  return values * batch * bytesPerValue;
}

/**
 * Builds the TensorFlow.js model; `seed` makes the kernel initialisation repeatable.
 *
 * Kernels of ReLU convolutions are drawn from He et al.'s normal distribution (ICCV 2015: zero
 * mean, standard deviation sqrt(2 / fan_in)), which U-Net's authors prescribe ("a Gaussian
 * distribution with a standard deviation of sqrt(2/N)", Ronneberger et al. 2015, section 3);
 * linear and sigmoid layers keep Glorot's uniform distribution. Biases start at 0 (see
 * ../train/output-bias.ts for the output's).
 */
export function buildGraph(graph: NetworkGraph, input: Shape, seed?: number, modelName = 'network'): tf.LayersModel {
  const tensors = new Map<string, tf.SymbolicTensor>();
  let inputTensor: tf.SymbolicTensor | undefined;
  let layerIndex = 0;
  const initializer = (activation: Activation) => {
    const config = seed === undefined ? {} : { seed: seed * 1000 + layerIndex++ };
    return activation === 'relu' ? tf.initializers.heNormal(config) : tf.initializers.glorotUniform(config);
  };
  const get = (name: string) => tensors.get(name)!;
  for (const node of graph.nodes) {
    let out: tf.SymbolicTensor;
    switch (node.op) {
      case 'input':
        out = inputTensor = tf.input({ shape: [input.heightPx, input.widthPx, input.channels], name: node.name });
        break;
      case 'conv':
        out = tf.layers
          .conv2d({ name: node.name, filters: node.filters, kernelSize: node.kernel, strides: node.stride ?? 1, padding: node.padding ?? 'same', activation: node.activation, kernelInitializer: initializer(node.activation) })
          .apply(get(node.from)) as tf.SymbolicTensor;
        break;
      case 'convT':
        out = tf.layers
          .conv2dTranspose({ name: node.name, filters: node.filters, kernelSize: node.kernel, strides: node.stride, padding: 'same', activation: node.activation, kernelInitializer: initializer(node.activation) })
          .apply(get(node.from)) as tf.SymbolicTensor;
        break;
      case 'pool':
        out = tf.layers.maxPooling2d({ name: node.name, poolSize: 2, strides: 2 }).apply(get(node.from)) as tf.SymbolicTensor;
        break;
      case 'crop':
        out = tf.layers.cropping2D({ name: node.name, cropping: [[node.crop, node.crop], [node.crop, node.crop]] }).apply(get(node.from)) as tf.SymbolicTensor;
        break;
      case 'concat':
        out = tf.layers.concatenate({ name: node.name }).apply(node.from.map(get)) as tf.SymbolicTensor;
        break;
      case 'add':
        out = tf.layers.add({ name: node.name }).apply(node.from.map(get)) as tf.SymbolicTensor;
        break;
      case 'activation':
        out = tf.layers.activation({ name: node.name, activation: node.activation }).apply(get(node.from)) as tf.SymbolicTensor;
        break;
    }
    tensors.set(node.name, out);
  }
  return tf.model({ name: modelName, inputs: inputTensor!, outputs: graph.outputs.map(get) });
}

/**
 * Adds a 3x3 convolution, or with `squeeze` a SqueezeNet fire module in its place (Iandola et
 * al. 2016): a 1x1 "squeeze" convolution to max(1, round(filters / 8)) channels (squeeze ratio
 * 1/8, SqueezeNet's SR = 0.125), then 1x1 and 3x3 "expand" convolutions with floor(filters / 2)
 * and the rest of the filters, concatenated to `filters` channels.
 */
export function conv3x3(nodes: GraphNode[], name: string, from: string, filters: number, squeeze: boolean, activation: Activation = 'relu'): string {
  if (!squeeze || filters < 2) {
    nodes.push({ op: 'conv', name, from, filters, kernel: 3, activation });
    return name;
  }
  const squeezed = Math.max(1, Math.round(filters / 8));
  const expand1 = Math.floor(filters / 2);
  nodes.push({ op: 'conv', name: `${name}_squeeze`, from, filters: squeezed, kernel: 1, activation: 'relu' });
  nodes.push({ op: 'conv', name: `${name}_expand1`, from: `${name}_squeeze`, filters: expand1, kernel: 1, activation });
  nodes.push({ op: 'conv', name: `${name}_expand3`, from: `${name}_squeeze`, filters: filters - expand1, kernel: 3, activation });
  nodes.push({ op: 'concat', name, from: [`${name}_expand1`, `${name}_expand3`] });
  return name;
}

/** filters = max(1, round(base * alpha)): every convolution scales by the same width multiplier. */
export function scaledFilters(base: number, alpha: number): number {
  return Math.max(1, Math.round(base * alpha));
}

/**
 * The convolutions whose outputs add up to the logit of output `outputName`: walking back from
 * the output through activations and additions to the first biased layers (a convolution or
 * transposed convolution, whose own activation must be linear or the output's sigmoid). U-Net:
 * its 1x1 output convolution; FCN-8s: the last x8 upsampling; CUMedVision's fused output: the
 * three upsampled level logits. The logit's constant part is the sum of these layers' biases.
 */
export function outputLogitLayers(graph: NetworkGraph, outputName = graph.outputs[0]!): string[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const walk = (name: string): string[] => {
    const node = byName.get(name);
    if (!node) throw new RangeError(`the network has no node ${name}`);
    switch (node.op) {
      case 'conv':
      case 'convT':
        if (node.activation === 'relu') throw new RangeError(`output ${outputName} comes from ${name} through a ReLU, so its logit has no bias to set`);
        return [name];
      case 'activation':
        return walk(node.from);
      case 'add':
        return node.from.flatMap(walk);
      default:
        throw new RangeError(`output ${outputName} comes from ${node.op} node ${name}, which has no bias`);
    }
  };
  return [...new Set(walk(outputName))];
}

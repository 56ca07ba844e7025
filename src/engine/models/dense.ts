/**
 * The patch networks (./dcnn.ts, ./dccn.ts) as dense predictors of whole images, exactly.
 *
 * A patch network maps a P x P patch to the softmax of its labelled pixel, the one at row and
 * column c = floor((P - 1) / 2) of the patch (the centre for odd P). Every pixel (y, x) of an
 * image gets the cell probability of the patch whose top-left corner is (y - c, x - c) in the
 * image reflect-padded by c pixels at the top and left and P - 1 - c at the bottom and right.
 *
 * Fully convolutional equivalent (filter rarefaction, as in Long et al.'s shift-and-stitch and
 * "à trous" dense evaluation): the same weights, with every 2x2 max-pooling of stride 2 replaced
 * by a 2x2 max-pooling of stride 1 whose window is dilated by d (the product of the strides
 * before it), every later convolution dilated by d, and every crop multiplied by d. One pass
 * over a padded (T + P - 1)-sided tile gives T x T outputs, each equal (up to float rounding) to
 * the patch network's own output on its patch. Images are predicted in tiles of at most
 * DENSE_TILE_PX output pixels a side, which bounds the memory and changes no value.
 */
import * as tf from '../tf';
import type { GraphNode, NetworkGraph } from './graph';

/** Output pixels per tile side in dense prediction. */
export const DENSE_TILE_PX = 64;

/** The patch side a patch network takes: its receptive field (input size giving a 1x1 output). */
export function patchSizeOf(graph: NetworkGraph): number {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  // walking back from the output along the main chain (a concatenation's first input)
  let size = 1;
  let name: string | undefined = graph.outputs[0];
  while (name) {
    const node: GraphNode = byName.get(name)!;
    switch (node.op) {
      case 'input':
        return size;
      case 'conv':
        if (node.padding !== 'valid') throw new RangeError(`${node.name} is not a valid convolution: the network is not a patch network`);
        size += node.kernel - 1;
        name = node.from;
        break;
      case 'pool':
        size *= 2;
        name = node.from;
        break;
      case 'crop':
        size += 2 * node.crop;
        name = node.from;
        break;
      case 'concat':
      case 'add':
        name = node.from[0];
        break;
      case 'activation':
        name = node.from;
        break;
      default:
        throw new RangeError(`${node.name} (${node.op}) has no place in a patch network`);
    }
  }
  throw new RangeError('internal: the output does not lead back to the input');
}

/** The labelled pixel's row (and column) in a P x P patch. */
export function labelOffsetPx(patchPx: number): number {
  return Math.floor((patchPx - 1) / 2);
}

/**
 * Softmax outputs (N x h x w x classes) of the dense equivalent on a batch of padded inputs
 * (N x (h + P - 1) x (w + P - 1) x C), with the weights of `model` (the patch network built from
 * `graph`: same layer names).
 */
export function denseForward(graph: NetworkGraph, model: tf.LayersModel, padded: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const values = new Map<string, { x: tf.Tensor4D; dilation: number }>();
    const get = (name: string) => values.get(name)!;
    for (const node of graph.nodes) {
      switch (node.op) {
        case 'input':
          values.set(node.name, { x: padded, dilation: 1 });
          break;
        case 'conv': {
          if (node.padding !== 'valid' || (node.stride ?? 1) !== 1) throw new RangeError(`${node.name} is not a valid stride-1 convolution; only patch networks have a dense form`);
          const { x, dilation } = get(node.from);
          const [kernel, bias] = model.getLayer(node.name).getWeights() as [tf.Tensor4D, tf.Tensor1D];
          const linear = tf.add(tf.conv2d(x, kernel, 1, 'valid', 'NHWC', dilation), bias) as tf.Tensor4D;
          const out = node.activation === 'relu' ? tf.relu(linear) : node.activation === 'sigmoid' ? tf.sigmoid(linear) : node.activation === 'softmax' ? tf.softmax(linear) : linear;
          values.set(node.name, { x: out, dilation });
          break;
        }
        case 'pool': {
          const { x, dilation: d } = get(node.from);
          const [n, h, w, c] = x.shape;
          const at = (dy: number, dx: number) => tf.slice(x, [0, dy, dx, 0], [n, h - d, w - d, c]);
          values.set(node.name, { x: tf.maximum(tf.maximum(at(0, 0), at(0, d)), tf.maximum(at(d, 0), at(d, d))) as tf.Tensor4D, dilation: 2 * d });
          break;
        }
        case 'crop': {
          const { x, dilation: d } = get(node.from);
          const [n, h, w, c] = x.shape;
          const m = node.crop * d;
          values.set(node.name, { x: tf.slice(x, [0, m, m, 0], [n, h - 2 * m, w - 2 * m, c]), dilation: d });
          break;
        }
        case 'concat':
          values.set(node.name, { x: tf.concat(node.from.map((f) => get(f).x), 3) as tf.Tensor4D, dilation: get(node.from[0]!).dilation });
          break;
        case 'add':
          values.set(node.name, { x: tf.addN(node.from.map((f) => get(f).x)) as tf.Tensor4D, dilation: get(node.from[0]!).dilation });
          break;
        case 'activation': {
          const { x, dilation } = get(node.from);
          const out = node.activation === 'relu' ? tf.relu(x) : node.activation === 'sigmoid' ? tf.sigmoid(x) : node.activation === 'softmax' ? tf.softmax(x) : x;
          values.set(node.name, { x: out as tf.Tensor4D, dilation });
          break;
        }
        case 'convT':
          throw new RangeError(`${node.name} is a transposed convolution; only patch networks have a dense form`);
      }
    }
    return get(graph.outputs[0]!).x;
  });
}

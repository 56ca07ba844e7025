/**
 * Structured L1-norm filter pruning (Li, Kadav, Durdanovic, Samet and Graf, "Pruning Filters
 * for Efficient ConvNets", ICLR 2017), as used by the H&E nuclei training-set-size study.
 *
 * In every convolution (and transposed convolution) with more than one filter, the filters are
 * ranked by the L1 norm of their weights and the fraction `ratio` with the smallest norms is
 * removed: keep = max(1, round(filters x (1 - ratio))). Removal is physical: the pruned network
 * is rebuilt with fewer filters, and every layer that consumes those channels loses the matching
 * input channels (the next convolution, and through concatenations the skip connections of
 * U-Net, and the dense blocks of DCCN through their crops), so it is smaller and faster. The
 * layers that make an output's logits (one filter, or the patch networks' two classes before
 * their softmax) are kept whole; the patch networks' FC1 (a 3x3 convolution) is pruned like any
 * convolution. Fine-tuning is the caller's (train the returned model for a few epochs).
 */
import * as tf from '../tf';
import { buildGraph, inferShapes, outputLogitLayers, type GraphNode, type NetworkGraph, type Shape } from '../models/graph';

export interface PruneResult {
  graph: NetworkGraph;
  model: tf.LayersModel;
  /** Filters before and after, per pruned layer. */
  layers: { name: string; before: number; after: number }[];
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Indices of the `keep` filters with the largest L1 norms, in their original order. */
export function largestL1Filters(kernel: tf.Tensor4D, outAxis: 2 | 3, keep: number): number[] {
  const norms = tf.tidy(() => tf.sum(tf.abs(kernel), outAxis === 3 ? [0, 1, 2] : [0, 1, 3]).dataSync());
  return range(norms.length)
    .sort((a, b) => norms[b]! - norms[a]! || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
}

export function pruneL1(graph: NetworkGraph, model: tf.LayersModel, ratio: number, input: Shape, seed?: number): PruneResult {
  if (!(ratio >= 0 && ratio < 1)) throw new RangeError(`the pruning ratio must be at least 0 and below 1, not ${ratio}`);
  const shapes = inferShapes(graph, input);
  const kept = new Map<string, number[]>();
  const nodes: GraphNode[] = [];
  const layers: PruneResult['layers'] = [];
  const newWeights = new Map<string, tf.Tensor[]>();
  const outputLayers = new Set(graph.outputs.flatMap((output) => {
    try {
      return outputLogitLayers(graph, output);
    } catch {
      return [output];
    }
  }));
  for (const node of graph.nodes) {
    switch (node.op) {
      case 'input':
        kept.set(node.name, range(input.channels));
        nodes.push(node);
        break;
      case 'conv':
      case 'convT': {
        const [kernel, bias] = model.getLayer(node.name).getWeights() as [tf.Tensor4D, tf.Tensor1D];
        const outAxis = node.op === 'conv' ? 3 : 2;
        const inAxis = node.op === 'conv' ? 2 : 3;
        const prunable = node.filters > 1 && !outputLayers.has(node.name);
        const keep = prunable ? Math.max(1, Math.round(node.filters * (1 - ratio))) : node.filters;
        const keptOut = keep < node.filters ? largestL1Filters(kernel, outAxis, keep) : range(node.filters);
        const keptIn = kept.get(node.from)!;
        // Fresh tensors from the values: the wasm backend's Gather returns data whose stored shape
        // can differ from the tensor's (a reshape of a 4-D result), which its fused convolution rejects.
        newWeights.set(
          node.name,
          tf.tidy(() => {
            const k = tf.gather(tf.gather(kernel, keptIn, inAxis), keptOut, outAxis);
            const b = tf.gather(bias, keptOut);
            return [tf.tensor(k.dataSync(), k.shape), tf.tensor(b.dataSync(), b.shape)];
          }),
        );
        kept.set(node.name, keptOut);
        nodes.push({ ...node, filters: keep });
        if (prunable) layers.push({ name: node.name, before: node.filters, after: keep });
        break;
      }
      case 'pool':
      case 'crop':
      case 'activation':
        kept.set(node.name, kept.get(node.from)!);
        nodes.push(node);
        break;
      case 'concat': {
        let offset = 0;
        const indices: number[] = [];
        for (const from of node.from) {
          indices.push(...kept.get(from)!.map((i) => i + offset));
          offset += shapes.get(from)!.channels;
        }
        kept.set(node.name, indices);
        nodes.push(node);
        break;
      }
      case 'add': {
        const first = kept.get(node.from[0]!)!;
        for (const from of node.from.slice(1)) {
          if (JSON.stringify(kept.get(from)) !== JSON.stringify(first)) throw new Error(`internal: the inputs of ${node.name} kept different channels`);
        }
        kept.set(node.name, first);
        nodes.push(node);
        break;
      }
    }
  }
  const pruned: NetworkGraph = { nodes, outputs: graph.outputs };
  const prunedModel = buildGraph(pruned, input, seed, model.name);
  for (const [name, weights] of newWeights) {
    prunedModel.getLayer(name).setWeights(weights);
    tf.dispose(weights);
  }
  return { graph: pruned, model: prunedModel, layers };
}

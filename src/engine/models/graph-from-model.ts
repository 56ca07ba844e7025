/**
 * The graph description (./graph.ts) of a TensorFlow.js model built from one, read back from
 * its layers: for models opened from an export folder (the TensorFlow.js format, or a model
 * rebuilt from model.onnx), so that pruning, quantization and export work on them as on a
 * trained one. Layers other than those buildGraph makes are refused.
 */
import type * as tf from '../tf';
import type { Activation, GraphNode, NetworkGraph } from './graph';

function activationOf(config: Record<string, unknown>, layer: string): Activation {
  const activation = String(config.activation ?? 'linear');
  if (activation !== 'relu' && activation !== 'sigmoid' && activation !== 'linear' && activation !== 'softmax') throw new RangeError(`layer ${layer} has activation ${activation}, which CC-Net's networks do not use`);
  return activation;
}

export function graphFromModel(model: tf.LayersModel): NetworkGraph {
  const nodes: GraphNode[] = [];
  for (const layer of model.layers) {
    const config = layer.getConfig() as Record<string, unknown>;
    const from = (layer.inboundNodes[0]?.inboundLayers ?? []).map((l) => l.name);
    const name = layer.name;
    const first = (value: unknown) => (Array.isArray(value) ? Number(value[0]) : Number(value));
    switch (layer.getClassName()) {
      case 'InputLayer':
        nodes.push({ op: 'input', name });
        break;
      case 'Conv2D': {
        const stride = first(config.strides ?? 1);
        const valid = config.padding === 'valid';
        nodes.push({ op: 'conv', name, from: from[0]!, filters: Number(config.filters), kernel: first(config.kernelSize), ...(stride !== 1 ? { stride } : {}), ...(valid ? { padding: 'valid' as const } : {}), activation: activationOf(config, name) });
        break;
      }
      case 'Conv2DTranspose':
        nodes.push({ op: 'convT', name, from: from[0]!, filters: Number(config.filters), kernel: first(config.kernelSize), stride: first(config.strides ?? 1), activation: activationOf(config, name) });
        break;
      case 'MaxPooling2D':
        nodes.push({ op: 'pool', name, from: from[0]! });
        break;
      case 'Cropping2D': {
        const cropping = config.cropping as number[][];
        const crop = cropping[0]![0]!;
        if (!cropping.flat().every((c) => c === crop)) throw new RangeError(`layer ${name} crops its sides unequally, which CC-Net's networks do not do`);
        nodes.push({ op: 'crop', name, from: from[0]!, crop });
        break;
      }
      case 'Concatenate':
        nodes.push({ op: 'concat', name, from });
        break;
      case 'Add':
        nodes.push({ op: 'add', name, from });
        break;
      case 'Activation':
        nodes.push({ op: 'activation', name, from: from[0]!, activation: activationOf(config, name) });
        break;
      default:
        throw new RangeError(`layer ${name} is a ${layer.getClassName()}, which CC-Net's networks do not have`);
    }
  }
  return { nodes, outputs: model.outputs.map((o) => o.sourceLayer.name) };
}

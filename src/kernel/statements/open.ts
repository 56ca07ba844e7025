/** `open model "FOLDER" [on DATASET] as NAME`: an exported model folder as a session model. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '../../engine/tf';
import { exactCodes, kernelAxes } from '../../engine/baselines/quantize';
import { MODEL_CARD_JSON, type ModelCard } from '../../engine/export/model-card';
import { importOnnx } from '../../engine/export/onnx-import';
import { ONNX_FILE } from '../../engine/export/onnx-export';
import { buildGraph, graphParams, type NetworkGraph } from '../../engine/models/graph';
import { graphFromModel } from '../../engine/models/graph-from-model';
import { parseNetworkId } from '../../engine/models/registry';
import { loadModel, MODEL_JSON } from '../../engine/train/persist';
import type { ExecutionContext } from '../context';
import type { TrainedModel } from '../models';
import { jsonItem, markdownOutput } from '../../protocol/outputs';
import { UserInputError } from '../user-errors';
import { modelJson, modelsTable } from '../views/training';

async function readCard(folder: string): Promise<ModelCard> {
  const path = join(folder, MODEL_CARD_JSON);
  if (!existsSync(path)) throw new UserInputError(`${folder} has no ${MODEL_CARD_JSON}: open takes a folder written by export (the card says what the network is and how it was trained)`);
  return JSON.parse(await readFile(path, 'utf8')) as ModelCard;
}

/** The model's kernels must be the k-bit values its card says (an edited or foreign file is refused). */
function checkBits(model: tf.LayersModel, bits: number, folder: string): void {
  if (bits >= 32) return;
  for (const [name, axis] of kernelAxes(model)) {
    const variable = model.trainableWeights.find((w) => w.name === name)!;
    const exact = exactCodes(variable.read().dataSync() as Float32Array, variable.shape as number[], axis, bits);
    if (typeof exact === 'string') throw new UserInputError(`${folder}: the kernel ${name} is not ${bits}-bit as its model card says (${exact})`);
  }
}

export async function runOpen(args: { path: string; dataset?: string; name: string }, context: ExecutionContext): Promise<void> {
  await context.session.ensureBackend();
  const folder = resolve(context.baseDir, args.path);
  const card = await readCard(folder);
  const [heightPx, widthPx, channels] = card.input.split('x').map(Number) as [number, number, number];
  const inputShape = { heightPx, widthPx, channels };
  const seed = card.training.seed ?? 1;
  let model: tf.LayersModel;
  let graph: NetworkGraph;
  let format: string;
  if (existsSync(join(folder, ONNX_FILE))) {
    const imported = importOnnx(await readFile(join(folder, ONNX_FILE)));
    graph = imported.graph;
    model = buildGraph(graph, imported.input, seed, args.name);
    for (const [layer, weights] of imported.weights) {
      const current = model.getLayer(layer).getWeights();
      const values = [tf.tensor(weights.kernel, current[0]!.shape), tf.tensor(weights.bias, current[1]!.shape)];
      model.getLayer(layer).setWeights(values);
      tf.dispose(values);
    }
    format = 'ONNX';
  } else if (existsSync(join(folder, MODEL_JSON))) {
    model = await loadModel(folder);
    graph = graphFromModel(model);
    format = 'TensorFlow.js';
  } else {
    throw new UserInputError(`${folder} holds no exported model (${ONNX_FILE}, or ${MODEL_JSON} + weights.bin)`);
  }
  const dataset = args.dataset ?? card.training.dataset;
  try {
    checkBits(model, card.storedForm.kernelBits, folder);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const entry: TrainedModel = {
    name: args.name,
    choice: parseNetworkId(card.network),
    alpha: card.alpha,
    model,
    graph,
    dataset,
    seed,
    inputShape,
    params: graphParams(graph, channels),
    kernelBits: card.storedForm.kernelBits,
    ...(card.storedForm.sparsity > 0 ? { sparsity: card.storedForm.sparsity } : {}),
    origin: `${card.training.origin}; opened from ${folder}`,
    provenance: {
      statements: [...card.madeBy, ...(context.statementText ? [context.statementText] : [])],
      ...(card.selectedBy ? { selectedBy: card.selectedBy } : {}),
      ...(card.delivery ? { delivery: card.delivery } : {}),
      complexity: card.training.complexity,
    },
  };
  context.session.setModel(entry);
  const known = context.session.datasets.has(dataset);
  context.emit({
    type: 'output',
    output: markdownOutput(
      `Opened **${args.name}** from \`${folder}\` (${format}): ${card.network} at alpha ${card.alpha}, ${entry.params.toLocaleString('en-US')} parameters, ${card.storedForm.description}; trained on ${card.training.dataset}. ${known ? `Its dataset is ${dataset}: \`evaluate ${args.name} on ${dataset}\` takes the held-out images of seed ${seed}.` : `Dataset ${dataset} is not defined in this session: define it (or open with \`on DATASET\`) to evaluate, prune or quantize it.`}\n\n${modelsTable([entry])}`,
      [jsonItem(modelJson(entry))],
    ),
  });
}

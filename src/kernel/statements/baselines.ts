/** `prune`, `quantize` and `compare`: the methods CC-Net is judged against, side by side. */
import { pruneL1 } from '../../engine/baselines/l1-prune';
import { disposeMasks, magnitudeMasks, maskTransform, sparsity } from '../../engine/baselines/magnitude-prune';
import { fakeQuantTransform, quantizeModel } from '../../engine/baselines/quantize';
import { containerBits, sparseEstimateBytes } from '../../engine/export/stored-form';
import { splitTrainTest } from '../../engine/data/split';
import { graphParams } from '../../engine/models/graph';
import { NETWORKS } from '../../engine/models/registry';
import { applyWeightTransform } from '../../engine/train/loop';
import type { ExecutionContext } from '../context';
import { cloneModel, onnxBytesOf, storedFormOf, type TrainedModel } from '../models';
import { formatNumber, jsonItem, markdownOutput, plotOutput } from '../../protocol/outputs';
import { checkModelTakes, datasetSplit, evaluateOnTest } from '../training';
import { fineTune, type FineTuned } from '../fine-tuning';
import { UserInputError } from '../user-errors';
import { modelJson, modelsTable } from '../views/training';

const DEFAULT_FINETUNE_EPOCHS = 5;
const DEFAULT_FINETUNE_LR = 1e-3;

function splitOf(context: ExecutionContext, entry: TrainedModel) {
  return datasetSplit(context, entry.dataset, entry.seed);
}

/** Takes a derived entry's training step (fine-tuned or restored) into it. */
function adopt(entry: TrainedModel, tuned: FineTuned): void {
  entry.train = tuned.result;
  if (tuned.key) entry.trainingKey = tuned.key;
  if (tuned.restoredFrom) entry.restoredFrom = tuned.restoredFrom;
}

async function finish(context: ExecutionContext, entry: TrainedModel, source: TrainedModel, summary: string, tuned?: FineTuned): Promise<void> {
  entry.provenance = { statements: [...(source.provenance?.statements ?? []), ...(context.statementText ? [context.statementText] : [])] };
  const { test } = await splitOf(context, entry);
  await evaluateOnTest(context, entry, test);
  await tuned?.store(entry);
  context.session.setModel(entry);
  context.emit({ type: 'output', output: markdownOutput(`${summary}\n\n${modelsTable([source, entry])}`, [jsonItem(modelJson(entry))]) });
}

export interface PruneArgs {
  model: string;
  method: 'l1' | 'magnitude';
  ratio: number;
  finetune?: number;
  learningRate?: number;
  name?: string;
}

export async function runPrune(args: PruneArgs, context: ExecutionContext): Promise<void> {
  const source = context.session.model(args.model);
  await context.session.ensureBackend();
  const name = args.name ?? `${args.model}_${args.method}_${String(args.ratio).replace('.', '_')}`;
  const epochs = args.finetune ?? DEFAULT_FINETUNE_EPOCHS;
  const { train } = await splitOf(context, source);
  const trainOptions = { epochs, batchSize: 4, learningRate: args.learningRate ?? DEFAULT_FINETUNE_LR, seed: source.seed, auxiliaryLossWeights: NETWORKS[source.choice.network].auxiliaryLossWeights };
  if (args.method === 'l1') {
    const pruned = pruneL1(source.graph, source.model, args.ratio, source.inputShape, source.seed);
    const entry: TrainedModel = {
      ...source,
      name,
      model: pruned.model,
      graph: pruned.graph,
      params: graphParams(pruned.graph, source.inputShape.channels),
      origin: `L1 filter pruning of ${source.name}, ratio ${args.ratio}, fine-tuned ${epochs} epochs`,
      train: undefined,
      evaluation: undefined,
      latency: undefined,
      trainingKey: undefined,
      restoredFrom: undefined,
    };
    const tuned = epochs > 0 ? await fineTune(context, source, { method: 'l1', ratio: args.ratio }, pruned.model, train, trainOptions, `fine-tuning ${name}`) : undefined;
    if (tuned) adopt(entry, tuned);
    const removed = pruned.layers.reduce((n, l) => n + l.before - l.after, 0);
    await finish(context, entry, source, `**${name}**: removed ${removed} filters with the smallest L1 norms from ${pruned.layers.length} layers (physically: ${formatNumber(source.params / entry.params, 3)}x fewer parameters), then fine-tuned ${epochs} epochs.`, tuned);
    return;
  }
  const model = cloneModel(source);
  const masks = magnitudeMasks(model, args.ratio);
  try {
    const entry: TrainedModel = { ...source, name, model, origin: `magnitude pruning of ${source.name}, ratio ${args.ratio}, retrained ${epochs} epochs`, train: undefined, evaluation: undefined, latency: undefined, trainingKey: undefined, restoredFrom: undefined };
    const tuned = epochs > 0 ? await fineTune(context, source, { method: 'magnitude', ratio: args.ratio }, model, train, { ...trainOptions, weightTransform: maskTransform(masks) }, `retraining ${name}`) : undefined;
    if (tuned) adopt(entry, tuned);
    else applyWeightTransform(model, maskTransform(masks));
    const report = sparsity(model);
    entry.sparsity = report.sparsity;
    await finish(
      context,
      entry,
      source,
      `**${name}**: ${formatNumber(report.sparsity * 100, 3)}% of the kernel weights are zero (threshold |w| <= ${formatNumber(masks.threshold, 3)}), retrained ${epochs} epochs with the mask, validated with the mask applied. Exports store the zeros densely: the ONNX file is ${formatNumber(onnxBytesOf(entry) / 1e6, 4)} MB, as before pruning; a sparse format (bitmask + non-zero values) would take an estimated ${formatNumber(sparseEstimateBytes(storedFormOf(entry)) / 1e6, 4)} MB, which no export writes. The layer shapes are unchanged, so it is not faster on dense hardware.`,
      tuned,
    );
  } finally {
    disposeMasks(masks);
  }
}

export interface QuantizeArgs {
  model: string;
  bits: number;
  awareEpochs?: number;
  learningRate?: number;
  name?: string;
}

export async function runQuantize(args: QuantizeArgs, context: ExecutionContext): Promise<void> {
  const source = context.session.model(args.model);
  if (args.bits > 16 || args.bits < 2) throw new UserInputError(`bits ${args.bits}: quantize to 2 to 16 bits (32 is the unquantized model)`);
  await context.session.ensureBackend();
  const name = args.name ?? `${args.model}_q${args.bits}${args.awareEpochs ? '_aware' : ''}`;
  const model = cloneModel(source);
  const entry: TrainedModel = { ...source, name, model, kernelBits: args.bits, origin: '', train: undefined, evaluation: undefined, latency: undefined, trainingKey: undefined, restoredFrom: undefined };
  let tuned: FineTuned | undefined;
  if (args.awareEpochs) {
    const { train } = await splitOf(context, source);
    tuned = await fineTune(
      context,
      source,
      { method: 'quantization-aware', bits: args.bits },
      model,
      train,
      { epochs: args.awareEpochs, batchSize: 4, learningRate: args.learningRate ?? DEFAULT_FINETUNE_LR, seed: source.seed, auxiliaryLossWeights: NETWORKS[source.choice.network].auxiliaryLossWeights, weightTransform: fakeQuantTransform(model, args.bits) },
      `quantization-aware training of ${name}`,
    );
    adopt(entry, tuned);
    entry.origin = `${args.bits}-bit quantization-aware training of ${source.name}, ${args.awareEpochs} epochs`;
  } else {
    quantizeModel(model, args.bits);
    entry.origin = `${args.bits}-bit post-training quantization of ${source.name}`;
  }
  const before = onnxBytesOf(source);
  const after = onnxBytesOf(entry);
  await finish(
    context,
    entry,
    source,
    `**${name}**: kernels quantized to ${args.bits} bits, symmetric per output channel (biases float32), ${args.awareEpochs ? `trained ${args.awareEpochs} epochs with fake quantization (straight-through), validated and checkpointed on the quantized network` : 'after training'}. ONNX file (the bytes \`export ${name} to "FOLDER"\` writes: int${containerBits(args.bits)} kernels with DequantizeLinear) ${formatNumber(before / 1e6, 4)} MB -> ${formatNumber(after / 1e6, 4)} MB: **${formatNumber(before / after, 3)}x** smaller. TensorFlow.js's weight formats cannot hold per-channel integers, so \`format tfjs\` stores these weights as float32 (${formatNumber((4 * entry.params) / 1e6, 4)} MB of weights).`,
    tuned,
  );
}

export async function runCompare(args: { models: string[]; dataset: string }, context: ExecutionContext): Promise<void> {
  const entries = args.models.map((m) => context.session.model(m));
  await context.session.ensureBackend();
  const samples = await context.session.samplesOf(args.dataset, context.signal);
  for (const entry of entries) {
    checkModelTakes(entry, args.dataset, samples);
    const test = entry.dataset === args.dataset ? splitTrainTest(samples, entry.seed).test : samples;
    await evaluateOnTest(context, entry, test);
  }
  const rows = entries.map((e) => ({
    model: e.name,
    origin: e.origin,
    f1: e.evaluation!.summary.f1.mean,
    iou: e.evaluation!.summary.iou.mean,
    log10Params: Math.log10(e.params),
    sizeMB: onnxBytesOf(e) / 1e6,
    latencyMs: e.latency!.medianMsPerImage,
    trainingS: e.train ? e.train.trainMs / 1000 : null,
  }));
  const text = `Compared on ${args.dataset} (held-out images for models trained on it).\n\n${modelsTable(entries)}\n\n${entries.map((e) => `- **${e.name}**: ${e.origin}`).join('\n')}`;
  context.emit({ type: 'output', output: markdownOutput(text, [jsonItem({ dataset: args.dataset, models: entries.map(modelJson) })]) });
  context.emit({ type: 'output', output: plotOutput(paretoPlot(rows), 'Accuracy against size and latency') });
}

function paretoPlot(rows: Record<string, unknown>[]): Record<string, unknown> {
  const panel = (field: string, title: string, log: boolean) => ({
    width: 260,
    height: 200,
    mark: { type: 'point', filled: true, size: 80, tooltip: true },
    encoding: {
      x: { field, type: 'quantitative', title, scale: { zero: false, ...(log ? { type: 'log' } : {}) } },
      y: { field: 'f1', type: 'quantitative', title: 'F1 (Dice)', scale: { zero: false } },
      color: { field: 'model', type: 'nominal' },
      tooltip: [{ field: 'model' }, { field: 'origin' }, { field: 'f1', format: '.3f' }, { field: 'iou', format: '.3f' }, { field: 'log10Params', format: '.3f' }, { field: 'sizeMB', format: '.4f' }, { field: 'latencyMs', format: '.3f' }],
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Accuracy against size and speed', subtitle: 'up and to the left is better' },
    data: { values: rows },
    hconcat: [panel('log10Params', 'log10(#params)', false), panel('latencyMs', 'latency (ms / image)', false)],
  };
}

/** `export MODEL to "FOLDER" [format onnx|tfjs]`: the model's files and its model card. */
import { join, resolve } from 'node:path';
import { measureDataset } from '../../engine/complexity/dataset-complexity';
import { resolveMeasures } from '../../engine/complexity/registry';
import { exportModel, type ExportedFiles, type ExportFormat } from '../../engine/export/export-model';
import { exportSection, MODEL_CARD_JSON, MODEL_CARD_MD, writeModelCard, type ModelCard } from '../../engine/export/model-card';
import { describeStoredForm } from '../../engine/export/stored-form';
import { METRIC_NAMES } from '../../engine/train/metrics';
import { INPUT_PREPROCESSING } from '../../engine/train/tensors';
import { throttledProgress, type ExecutionContext } from '../context';
import { storedFormOf, type TrainedModel } from '../models';
import { formatNumber, jsonItem, markdownOutput, warningOutput } from '../../protocol/outputs';

/** The complexity of the training data for the card: what the session measured, else J (cached on disk). */
async function trainingComplexity(entry: TrainedModel, context: ExecutionContext): Promise<Record<string, number>> {
  const known = context.session.complexities.get(entry.dataset)?.measures;
  if (known && Object.keys(known).length > 0) return Object.fromEntries(Object.entries(known).map(([id, s]) => [id, s.mean]));
  // a model opened from a folder whose dataset is not defined here: its card's figures
  if (!context.session.datasets.has(entry.dataset)) return entry.provenance?.complexity ?? {};
  const measured = await measureDataset(context.session.dataset(entry.dataset), resolveMeasures(['j']), {
    signal: context.signal,
    pool: context.session.complexityPool(),
    cacheDir: join(context.cacheDir, 'complexity'),
    onProgress: throttledProgress(context, `complexity of ${entry.dataset} for the model card`),
  });
  return Object.fromEntries(Object.entries(measured.measures).map(([id, s]) => [id, s.mean]));
}

/** The training dataset's working resolution (size N or scale), for segmenting new images alike. */
export function workingOf(entry: TrainedModel, context: ExecutionContext): { sizePx: number | null; scale: number | null } {
  const index = context.session.datasets.get(entry.dataset);
  return { sizePx: index?.sizePx ?? null, scale: index?.scale ?? null };
}

/** The card of a model whose files were just written. */
export async function modelCardOf(entry: TrainedModel, files: ExportedFiles, context: ExecutionContext): Promise<ModelCard> {
  const form = storedFormOf(entry);
  const complexity = await trainingComplexity(entry, context);
  const datasetStatement = context.session.datasetStatements.get(entry.dataset);
  const statements = [...(datasetStatement ? [datasetStatement] : []), ...(entry.provenance?.statements ?? []), ...(context.statementText ? [context.statementText] : [])];
  return {
    format: 'ccnet-model-card',
    version: 1,
    model: entry.name,
    network: `${entry.choice.squeeze ? 'squeezed-' : ''}${entry.choice.network}`,
    alpha: entry.alpha,
    params: entry.params,
    input: `${entry.inputShape.heightPx}x${entry.inputShape.widthPx}x${entry.inputShape.channels}`,
    preprocessing: INPUT_PREPROCESSING,
    working: workingOf(entry, context),
    storedForm: { kernelBits: form.kernelBits, sparsity: form.sparsity, description: describeStoredForm(form) },
    export: exportSection(files, form.kernelBits),
    training: {
      dataset: entry.dataset,
      seed: entry.seed,
      trainImages: entry.train?.trainCount ?? null,
      validationImages: entry.train?.validationCount ?? null,
      complexity,
      origin: entry.origin,
      epochsRun: entry.train?.epochsRun ?? null,
      bestEpoch: entry.train?.bestEpoch ?? null,
    },
    heldOut: entry.evaluation ? { images: entry.evaluation.perImage.length, metrics: Object.fromEntries(METRIC_NAMES.map((m) => [m, { mean: entry.evaluation!.summary[m].mean, std: entry.evaluation!.summary[m].std }])) } : null,
    selectedBy: entry.provenance?.selectedBy ?? null,
    delivery: entry.provenance?.delivery ?? null,
    madeBy: statements,
    writtenAt: new Date().toISOString(),
  };
}

/** Writes the model's files in `format` and the model card beside them. */
export async function exportWithCard(entry: TrainedModel, folder: string, format: ExportFormat, context: ExecutionContext): Promise<{ files: ExportedFiles; card: ModelCard }> {
  const metadata = { name: entry.name, network: `${entry.choice.squeeze ? 'squeezed-' : ''}${entry.choice.network}`, alpha: entry.alpha, dataset: entry.dataset };
  const files = await exportModel(entry.model, entry.graph, entry.inputShape, storedFormOf(entry), folder, format, metadata);
  const card = await modelCardOf(entry, files, context);
  await writeModelCard(folder, card);
  return { files, card };
}

export async function runExport(args: { model: string; path: string; format?: ExportFormat }, context: ExecutionContext): Promise<void> {
  const entry = context.session.model(args.model);
  const folder = resolve(context.baseDir, args.path);
  const format = args.format ?? 'onnx';
  const { files } = await exportWithCard(entry, folder, format, context);
  const budget = entry.provenance?.diskBudgetBytes;
  if (budget !== undefined && files.modelBytes > budget) {
    const why = format === 'tfjs' && entry.kernelBits < 32 ? ': the TensorFlow.js format stores the quantized weights as float32; format onnx stores them as integers' : '';
    context.emit({ type: 'output', output: warningOutput([`the model files in ${folder} are ${files.modelBytes.toLocaleString('en-US')} bytes, over the disk budget of ${budget.toLocaleString('en-US')} bytes ${entry.name} was compressed for${why}`]) });
  }
  const how = format === 'onnx' ? 'for ONNX Runtime, TensorRT, OpenVINO (input [N, C, H, W], output [N, 1, H, W])' : `loadable with \`tf.loadLayersModel\`${entry.kernelBits < 32 ? '; TensorFlow.js\'s weight formats cannot hold per-channel integers, so the quantized weights are stored as the float32 values that were evaluated' : ''}`;
  const list = files.files.map((f) => `${f.name} ${f.bytes.toLocaleString('en-US')} bytes`).join(', ');
  context.emit({
    type: 'output',
    output: markdownOutput(`Saved **${entry.name}** to \`${folder}\`: ${list} (${formatNumber(files.modelBytes / 1e6, 4)} MB on disk), ${how}; ${MODEL_CARD_JSON} and ${MODEL_CARD_MD} beside them.`, [
      jsonItem({ model: entry.name, folder, format, files: files.files, sizeBytes: files.modelBytes }),
    ]),
  });
}

/**
 * The model card written beside every export: model-card.json (the contract) and MODEL_CARD.md
 * (the same, short, for people). It says what the network is, how its weights are stored, the
 * bytes of the files written, what it was trained on, what it measured on held-out images, the
 * prediction it was selected by, and the statement that made it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportedFiles } from './export-model';

export const MODEL_CARD_JSON = 'model-card.json';
export const MODEL_CARD_MD = 'MODEL_CARD.md';

export interface MetricSummary {
  mean: number;
  std: number;
}

export interface ModelCard {
  format: 'ccnet-model-card';
  version: 1;
  model: string;
  network: string;
  /** Width multiplier relative to the paper's network. */
  alpha: number;
  params: number;
  /** HxWxC of one input (patch, when trained on patches; larger images are tiled). */
  input: string;
  preprocessing: string;
  /** How the training images were resized before the network saw them (none: their stored resolution); segment does the same. */
  working: { sizePx: number | null; scale: number | null };
  /** How the weights are stored (see stored-form.ts). */
  storedForm: { kernelBits: number; sparsity: number; description: string };
  export: { format: string; files: { name: string; bytes: number }[]; modelBytes: number; note: string };
  training: { dataset: string; seed: number; trainImages: number | null; validationImages: number | null; complexity: Record<string, number>; origin: string; epochsRun: number | null; bestEpoch: number | null };
  /** On held-out images of the training dataset (or the dataset of the last evaluation). */
  heldOut: { images: number; metrics: Record<string, MetricSummary> } | null;
  /** The prediction the width was selected by (compress), else null. */
  selectedBy: Record<string, unknown> | null;
  /** How the network was delivered at its bits (compress with a disk budget), else null. */
  delivery: string | null;
  /** The cell statements that made the model and exported it. */
  madeBy: string[];
  writtenAt: string;
}

const format = (value: number, digits = 4) => (Number.isFinite(value) ? Number(value.toPrecision(digits)).toString() : String(value));

export function modelCardMarkdown(card: ModelCard): string {
  const metrics = card.heldOut
    ? Object.entries(card.heldOut.metrics)
        .map(([name, m]) => `| ${name} | ${format(m.mean)} | ${format(m.std, 2)} |`)
        .join('\n')
    : '';
  const lines = [
    `# ${card.model}`,
    '',
    `${card.network} at alpha ${format(card.alpha)} (${card.params.toLocaleString('en-US')} parameters), input ${card.input}.`,
    '',
    `- **Weights**: ${card.storedForm.description}.`,
    `- **Files** (${card.export.format}): ${card.export.files.map((f) => `${f.name} ${f.bytes.toLocaleString('en-US')} bytes`).join(', ')}; ${card.export.modelBytes.toLocaleString('en-US')} bytes in all (${card.export.note}).`,
    `- **Input**: ${card.preprocessing}. **Output**: the foreground probability of every pixel; foreground at >= 0.5.`,
    `- **Training data**: ${card.training.dataset}${card.training.trainImages !== null ? `, ${card.training.trainImages} training and ${card.training.validationImages} validation images` : ''}${Object.keys(card.training.complexity).length ? `; complexity ${Object.entries(card.training.complexity).map(([k, v]) => `${k} ${format(v)}`).join(', ')}` : ''}. Origin: ${card.training.origin}.`,
    ...(card.delivery ? [`- **Delivered**: ${card.delivery}`] : []),
    ...(card.selectedBy ? [`- **Selected by**: ${JSON.stringify(card.selectedBy)}`] : []),
    '',
    card.heldOut ? `Measured on ${card.heldOut.images} held-out images:\n\n| metric | mean | std |\n|---|---|---|\n${metrics}` : 'Not evaluated.',
    '',
    'Made by:',
    '',
    '```',
    ...card.madeBy,
    '```',
    '',
  ];
  return lines.join('\n');
}

export async function writeModelCard(folder: string, card: ModelCard): Promise<void> {
  await writeFile(join(folder, MODEL_CARD_JSON), `${JSON.stringify(card, null, 2)}\n`);
  await writeFile(join(folder, MODEL_CARD_MD), modelCardMarkdown(card));
}

/** The export section of a card from the files written (`kernelBits`: the stored form's). */
export function exportSection(files: ExportedFiles, kernelBits: number): ModelCard['export'] {
  const float = files.format === 'tfjs' && kernelBits < 32 ? "; the TensorFlow.js format holds the quantized kernels as the float32 values that were evaluated, since its compact weight formats cannot hold per-channel scales" : '';
  return { format: files.format, files: files.files, modelBytes: files.modelBytes, note: `bytes on disk of the model files; this card is not counted${float}` };
}

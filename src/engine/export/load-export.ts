/**
 * An exported model folder (./export-model.ts) as a tile predictor for segmentation: model.onnx
 * through ONNX Runtime (the onnxruntime-node package, loaded when needed), or model.json +
 * weights.bin through TensorFlow.js. The input size and the working resolution come from the
 * model card beside the files; without a card, from the model file (input size only).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModel, MODEL_JSON } from '../train/persist';
import { modelInputSize, tfjsTilePredictor, type TilePredictor } from '../train/predict';
import { standardise } from '../train/tensors';
import type { ExportFormat } from './export-model';
import { MODEL_CARD_JSON, type ModelCard } from './model-card';
import { ONNX_FILE } from './onnx-export';
import { onnxType } from './onnx-proto';
import type { SegmentModel } from './segment';

export interface LoadedExport extends SegmentModel {
  format: ExportFormat;
  card: ModelCard | undefined;
  dispose(): Promise<void>;
}

function parseInput(text: string) {
  const [heightPx, widthPx, channels] = text.split('x').map(Number) as [number, number, number];
  return { heightPx, widthPx, channels };
}

/** The [N, C, H, W] input of an ONNX file. */
function onnxInput(bytes: Uint8Array) {
  const model = onnxType('ModelProto').toObject(onnxType('ModelProto').decode(bytes), { longs: Number }) as { graph: { input: { type: { tensor_type: { shape: { dim: { dim_value?: number }[] } } } }[] } };
  const [, channels, heightPx, widthPx] = model.graph.input[0]!.type.tensor_type.shape.dim.map((d) => d.dim_value ?? 0) as [number, number, number, number];
  return { heightPx, widthPx, channels };
}

async function onnxPredictor(bytes: Uint8Array, channels: number): Promise<{ predictor: TilePredictor; dispose: () => Promise<void> }> {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch {
    throw new Error('running an ONNX export needs the onnxruntime-node package: npm install onnxruntime-node (or export with format tfjs)');
  }
  const session = await ort.InferenceSession.create(bytes);
  const predictor: TilePredictor = async (crops) => {
    const { heightPx: h, widthPx: w } = crops[0]!;
    const nchw = new Float32Array(crops.length * channels * h * w);
    crops.forEach((crop, n) => {
      const values = standardise(crop.image, channels);
      for (let c = 0; c < channels; c++) for (let p = 0; p < h * w; p++) nchw[((n * channels + c) * h * w) + p] = values[p * channels + c]!;
    });
    const result = await session.run({ input: new ort.Tensor('float32', nchw, [crops.length, channels, h, w]) });
    return result.output!.data as Float32Array;
  };
  return { predictor, dispose: () => session.release() };
}

export async function loadExport(folder: string): Promise<LoadedExport> {
  const cardPath = join(folder, MODEL_CARD_JSON);
  const card = existsSync(cardPath) ? (JSON.parse(await readFile(cardPath, 'utf8')) as ModelCard) : undefined;
  const working = card?.working ?? {};
  if (existsSync(join(folder, ONNX_FILE))) {
    const bytes = await readFile(join(folder, ONNX_FILE));
    const input = card ? parseInput(card.input) : onnxInput(bytes);
    const { predictor, dispose } = await onnxPredictor(bytes, input.channels);
    return { format: 'onnx', card, input, working, predictor, dispose };
  }
  if (existsSync(join(folder, MODEL_JSON))) {
    const model = await loadModel(folder);
    const channels = model.inputs[0]!.shape[3] as number;
    return { format: 'tfjs', card, input: { ...modelInputSize(model), channels }, working, predictor: tfjsTilePredictor(model), dispose: async () => { model.dispose(); } };
  }
  throw new Error(`${folder} holds no exported model (${ONNX_FILE}, or ${MODEL_JSON} + weights.bin)`);
}

/**
 * Writes a network's files in a deployment format, exactly as its stored form describes and as
 * it was evaluated:
 *
 * - 'onnx': model.onnx (see ./onnx-export.ts), k-bit kernels as integers with DequantizeLinear;
 * - 'tfjs': the TensorFlow.js layers format (model.json + weights.bin), loadable by stock
 *   `tf.loadLayersModel`, all weights float32. TensorFlow.js's compact weight formats (uint8 and
 *   uint16 with one affine map per tensor, float16) cannot hold per-channel scales exactly, so a
 *   quantized network's weights are written as the float32 values it was evaluated with
 *   (4 bytes per parameter); ONNX is the compact format.
 *
 * The sizes returned are the bytes of the files on disk (fs.stat after writing).
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '../tf';
import type { NetworkGraph, Shape } from '../models/graph';
import { MODEL_JSON, saveModel, WEIGHTS_BIN } from '../train/persist';
import { INPUT_PREPROCESSING } from '../train/tensors';
import { encodeOnnx, onnxFileBytes, ONNX_FILE, type LayerWeights } from './onnx-export';
import { describeStoredForm, type StoredForm } from './stored-form';

export type ExportFormat = 'onnx' | 'tfjs';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['onnx', 'tfjs'];

export interface ExportedFiles {
  format: ExportFormat;
  folder: string;
  /** The model's files (not the model card) and their bytes on disk. */
  files: { name: string; bytes: number }[];
  /** Sum of `files`. */
  modelBytes: number;
}

/** A layer's kernel and bias as TensorFlow.js holds them. */
export function layerWeightsOf(model: tf.LayersModel): (layer: string) => LayerWeights {
  return (layer) => {
    const [kernel, bias] = model.getLayer(layer).getWeights();
    if (!kernel || !bias) throw new Error(`internal: layer ${layer} has no kernel and bias`);
    return { kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array };
  };
}

/** `metadata` goes into model.json's userDefinedMetadata.ccnet (tfjs only; the ONNX file's metadata is fixed by its stored form). */
export async function exportModel(model: tf.LayersModel, graph: NetworkGraph, input: Shape, form: StoredForm, folder: string, format: ExportFormat, metadata: Record<string, unknown> = {}): Promise<ExportedFiles> {
  await mkdir(folder, { recursive: true });
  let names: string[];
  if (format === 'onnx') {
    const bytes = encodeOnnx(graph, input, form, layerWeightsOf(model));
    const predicted = onnxFileBytes(graph, input, form);
    if (bytes.length !== predicted) throw new Error(`internal: model.onnx has ${bytes.length} bytes, its stored form says ${predicted}`);
    await writeFile(join(folder, ONNX_FILE), bytes);
    names = [ONNX_FILE];
  } else {
    await saveModel(model, folder, { ccnet: { ...metadata, storedForm: describeStoredForm(form), preprocessing: INPUT_PREPROCESSING } });
    names = [MODEL_JSON, WEIGHTS_BIN];
  }
  const files = [];
  for (const name of names) files.push({ name, bytes: (await stat(join(folder, name))).size });
  return { format, folder, files, modelBytes: files.reduce((n, f) => n + f.bytes, 0) };
}

/**
 * Saves a model with its weights stored as 8- or 16-bit integers in the TensorFlow.js layers
 * format, which stock TensorFlow.js dequantizes on load (`quantization: {dtype: 'uint8' |
 * 'uint16', min, scale}` in the weights manifest, one affine map per tensor). For a model
 * quantized per channel to k <= 8 bits the file uses uint8, for k <= 16 uint16; the per-tensor
 * map re-quantizes the values, so the loaded weights differ from the per-channel ones by at most
 * half a uint step of the tensor's range.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '../tf';
import { MODEL_JSON, WEIGHTS_BIN } from '../train/persist';

export async function saveQuantizedModel(model: tf.LayersModel, folder: string, bits: number, metadata: Record<string, unknown> = {}): Promise<{ sizeBytes: number; dtype: 'uint8' | 'uint16' }> {
  const dtype = bits <= 8 ? 'uint8' : 'uint16';
  const levels = dtype === 'uint8' ? 255 : 65535;
  let topology: object | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    topology = artifacts.modelTopology as object;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Buffer[] = [];
  for (const w of model.weights) {
    const values = w.read().dataSync() as Float32Array;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const scale = max > min ? (max - min) / levels : 1;
    const quantized = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) quantized[i] = Math.round((values[i]! - min) / scale);
    chunks.push(Buffer.from(quantized.buffer));
    specs.push({ name: w.originalName, shape: w.shape as number[], dtype: 'float32', quantization: { dtype, min, scale } });
  }
  const weights = Buffer.concat(chunks);
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: 'CC-Net Studio',
    modelTopology: topology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
    userDefinedMetadata: metadata,
  };
  await mkdir(folder, { recursive: true });
  const json = JSON.stringify(modelJson);
  await writeFile(join(folder, MODEL_JSON), json);
  await writeFile(join(folder, WEIGHTS_BIN), weights);
  return { sizeBytes: Buffer.byteLength(json) + weights.byteLength, dtype };
}

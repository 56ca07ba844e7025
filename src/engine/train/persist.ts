/**
 * Saving and loading models in the TensorFlow.js layers format: a folder with model.json
 * (topology, weight manifest, userDefinedMetadata) and weights.bin, readable by stock
 * TensorFlow.js (`tf.loadLayersModel`). Plain fs through a custom IOHandler, since the
 * `file://` handler needs @tensorflow/tfjs-node.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '../tf';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export interface SavedModelInfo {
  folder: string;
  /** model.json + weights.bin. */
  sizeBytes: number;
  weightBytes: number;
}

export async function saveModel(model: tf.LayersModel, folder: string, metadata: Record<string, unknown> = {}): Promise<SavedModelInfo> {
  await mkdir(folder, { recursive: true });
  let weightBytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ? Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : Buffer.alloc(0);
      weightBytes = weights.byteLength;
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: { ...artifacts.userDefinedMetadata, ...metadata },
      };
      await writeFile(join(folder, MODEL_JSON), JSON.stringify(modelJson));
      await writeFile(join(folder, WEIGHTS_BIN), weights);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  const jsonBytes = (await stat(join(folder, MODEL_JSON))).size;
  return { folder, sizeBytes: jsonBytes + weightBytes, weightBytes };
}

/** Reads model.json and every weight file it names (also those written by other tools). */
export async function loadModel(folder: string): Promise<tf.LayersModel> {
  let json: { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: Record<string, unknown> };
  try {
    json = JSON.parse(await readFile(join(folder, MODEL_JSON), 'utf8'));
  } catch (error) {
    throw new Error(`cannot read a TensorFlow.js model from ${folder}: ${(error as Error).message.split('\n')[0]}`);
  }
  const buffers = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) buffers.push(await readFile(join(folder, path)));
    specs.push(...group.weights);
  }
  const weightData = tf.io.CompositeArrayBuffer.join(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData, userDefinedMetadata: json.userDefinedMetadata }),
  );
}

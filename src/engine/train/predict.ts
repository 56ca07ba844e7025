/**
 * Probability maps of a model's main output for whole images. When the model's input is the
 * image's size the image is predicted at once; when the input is smaller (a network trained on
 * patches, see ../data/patches.ts) the image is cut into input-sized tiles at `tileOrigins`,
 * every tile is standardised and predicted on its own (as the patches were in training), and
 * each pixel gets the mean probability of the tiles that cover it. Patch networks (a P x P
 * patch in, its labelled pixel's softmax out) predict every pixel through their fully
 * convolutional form instead (./dense-predict.ts).
 */
import * as tf from '../tf';
import { cropSample, tileOrigins } from '../data/patches';
import type { SegmentationSample } from '../data/samples';
import { samplesToTensors } from './tensors';
import { predictDenseMaps } from './dense-predict';
import { patchClassifierOf } from './patch-task';

export interface ModelInputSize {
  heightPx: number;
  widthPx: number;
}

/** The spatial input size a model was built for. */
export function modelInputSize(model: tf.LayersModel): ModelInputSize {
  const shape = model.inputs[0]!.shape;
  const heightPx = shape[1];
  const widthPx = shape[2];
  if (typeof heightPx !== 'number' || typeof widthPx !== 'number') throw new RangeError('the model has no fixed input size');
  return { heightPx, widthPx };
}

interface Tile {
  sampleIndex: number;
  left: number;
  top: number;
  crop: SegmentationSample;
}

/** Tiles of a sample for an input size (one tile, the sample itself, when the sizes match). */
export function tilesOf(sample: SegmentationSample, input: ModelInputSize): { left: number; top: number; crop: SegmentationSample }[] {
  if (sample.heightPx === input.heightPx && sample.widthPx === input.widthPx) return [{ left: 0, top: 0, crop: sample }];
  const problem = inputMismatch({ ...input, channels: sample.channels }, [sample]);
  if (problem) throw new RangeError(`${problem}; use the working size the model was trained at`);
  const tiles = [];
  for (const top of tileOrigins(sample.heightPx, input.heightPx)) {
    for (const left of tileOrigins(sample.widthPx, input.widthPx)) tiles.push({ left, top, crop: cropSample(sample, left, top, input.widthPx) });
  }
  return tiles;
}

/**
 * Main-output probability maps (heightPx * widthPx each, row-major) of every sample, predicted
 * `batchSize` tiles at a time. Yields to the event loop between batches and honours `signal`.
 */
export async function predictProbabilityMaps(
  model: tf.LayersModel,
  samples: readonly SegmentationSample[],
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<Float32Array[]> {
  if (patchClassifierOf(model)) return predictDenseMaps(model, samples, options);
  return predictProbabilityMapsWith(tfjsTilePredictor(model), modelInputSize(model), samples, options);
}

/** A TensorFlow.js model as a tile predictor (standardised crops, the main output). */
export function tfjsTilePredictor(model: tf.LayersModel): TilePredictor {
  return async (crops) => predictTiles(model, crops);
}

/**
 * Main-output probabilities of equally sized crops (input-sized, not yet standardised),
 * concatenated: a TensorFlow.js model's, or another runtime's (an ONNX export's).
 */
export type TilePredictor = (crops: SegmentationSample[]) => Promise<Float32Array>;

/** predictProbabilityMaps for any tile predictor whose input is `input`. */
export async function predictProbabilityMapsWith(
  predictor: TilePredictor,
  input: ModelInputSize,
  samples: readonly SegmentationSample[],
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<Float32Array[]> {
  const batchSize = options.batchSize ?? 4;
  const sums = samples.map((s) => new Float32Array(s.widthPx * s.heightPx));
  const counts = samples.map((s) => new Uint8Array(s.widthPx * s.heightPx));
  const tiles: Tile[] = samples.flatMap((sample, sampleIndex) => tilesOf(sample, input).map((t) => ({ sampleIndex, ...t })));
  for (let start = 0; start < tiles.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const batch = tiles.slice(start, start + batchSize);
    const values = await predictor(batch.map((t) => t.crop));
    const tilePixels = input.heightPx * input.widthPx;
    batch.forEach((tile, i) => {
      const sample = samples[tile.sampleIndex]!;
      const sum = sums[tile.sampleIndex]!;
      const count = counts[tile.sampleIndex]!;
      for (let y = 0; y < input.heightPx; y++) {
        const row = (tile.top + y) * sample.widthPx + tile.left;
        for (let x = 0; x < input.widthPx; x++) {
          sum[row + x]! += values[i * tilePixels + y * input.widthPx + x]!;
          count[row + x]!++;
        }
      }
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return sums.map((sum, k) => {
    const count = counts[k]!;
    for (let p = 0; p < sum.length; p++) sum[p] = sum[p]! / count[p]!;
    return sum;
  });
}

/** Probabilities of the main output for equally sized crops, concatenated. */
function predictTiles(model: tf.LayersModel, crops: SegmentationSample[]): Float32Array {
  return tf.tidy(() => {
    const { images } = samplesToTensors(crops);
    const out = model.predict(images) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(out) ? out[0]! : out).dataSync() as Float32Array;
  });
}

/**
 * Why samples cannot go through a model built for `input`, or undefined when they can: the
 * channels must match, and each sample must have the input's size or (square inputs) be at
 * least that large, to be predicted tile by tile.
 */
export function inputMismatch(input: ModelInputSize & { channels: number }, samples: readonly SegmentationSample[]): string | undefined {
  const describe = (s: { heightPx: number; widthPx: number; channels: number }) => `${s.heightPx}x${s.widthPx}x${s.channels}`;
  for (const sample of samples) {
    const same = sample.heightPx === input.heightPx && sample.widthPx === input.widthPx;
    const tiled = input.heightPx === input.widthPx && sample.heightPx >= input.heightPx && sample.widthPx >= input.widthPx;
    if (sample.channels !== input.channels) return `image ${sample.id} has ${sample.channels} channel(s), the model takes ${input.channels}`;
    if (same || tiled) continue;
    if (input.heightPx !== input.widthPx) return `image ${sample.id} is ${describe(sample)}; the model's input ${describe(input)} is not square, so it takes images of exactly that size`;
    return `image ${sample.id} is ${describe(sample)}, smaller than the model's input ${describe(input)}`;
  }
  return undefined;
}

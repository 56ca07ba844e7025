/**
 * Whole-image prediction of a patch network (dcnn, dccn): every pixel's cell probability from the
 * network's fully convolutional equivalent (../models/dense.ts), in one pass per tile of the
 * image standardised as a whole (as in training, ./patch-task.ts) and reflect-padded, instead
 * of one forward pass per pixel. The graph is read back from the model's layers, so pruned and
 * opened models predict the same way.
 */
import * as tf from '../tf';
import { reflectPad } from '../data/patch-pool';
import { tileOrigins } from '../data/patches';
import type { SegmentationSample } from '../data/samples';
import { graphFromModel } from '../models/graph-from-model';
import { denseForward, DENSE_TILE_PX, labelOffsetPx, patchSizeOf } from '../models/dense';
import type { NetworkGraph } from '../models/graph';
import { PATCH_CLASSES } from '../models/dcnn';
import { standardise } from './tensors';

const graphs = new WeakMap<tf.LayersModel, NetworkGraph>();

/** The cell probability of every pixel of every sample (heightPx * widthPx each, row-major). */
export async function predictDenseMaps(model: tf.LayersModel, samples: readonly SegmentationSample[], options: { signal?: AbortSignal; tilePx?: number } = {}): Promise<Float32Array[]> {
  let graph = graphs.get(model);
  if (!graph) graphs.set(model, (graph = graphFromModel(model)));
  const patchPx = patchSizeOf(graph);
  const channels = model.inputs[0]!.shape[3];
  const before = labelOffsetPx(patchPx);
  const after = patchPx - 1 - before;
  const cell = PATCH_CLASSES.indexOf('cell');
  const maps: Float32Array[] = [];
  for (const sample of samples) {
    if (sample.channels !== channels) throw new RangeError(`image ${sample.id} has ${sample.channels} channel(s), the model takes ${channels}`);
    const { widthPx: w, heightPx: h } = sample;
    const padded = reflectPad(standardise(sample.image, sample.channels), sample, before, after);
    const map = new Float32Array(w * h);
    const image = tf.tensor4d(padded, [1, h + patchPx - 1, w + patchPx - 1, sample.channels]);
    try {
      const tile = options.tilePx ?? DENSE_TILE_PX;
      const [th, tw] = [Math.min(tile, h), Math.min(tile, w)];
      for (const top of tileOrigins(h, th)) {
        for (const left of tileOrigins(w, tw)) {
          options.signal?.throwIfAborted();
          const values = tf.tidy(() => {
            const input = tf.slice(image, [0, top, left, 0], [1, th + patchPx - 1, tw + patchPx - 1, sample.channels]);
            return tf.slice(denseForward(graph!, model, input), [0, 0, 0, cell], [1, th, tw, 1]).dataSync() as Float32Array;
          });
          for (let y = 0; y < th; y++) map.set(values.subarray(y * tw, (y + 1) * tw), (top + y) * w + left);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      image.dispose();
    }
    maps.push(map);
  }
  return maps;
}

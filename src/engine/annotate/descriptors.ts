/**
 * Encoder descriptors for representativeness (suggestive annotation, Yang et al., MICCAI 2017):
 * an image's descriptor is the output of the network's deepest encoder layer averaged over its
 * spatial positions (a vector of that layer's channel count). The deepest encoder layer is the
 * Conv2D layer whose output has the fewest pixels (U-Net's bottleneck, FCN-8s' fc7,
 * CUMedVision's last encoder block); of several such layers, the last in the network's order.
 * Images larger than the network's input are cut into its tiles, and the tiles' descriptors are
 * averaged.
 *
 * For an ensemble, each member's descriptors are centred on their mean over the pool and scaled
 * to unit length, and the members' vectors are concatenated: the cosine similarity of two
 * concatenations is then the mean of the members' cosine similarities. Centring matters because
 * ReLU features are all non-negative: uncentred, any two images have a cosine similarity near 1
 * and coverage tells them apart by nothing. (Yang et al. average the members' descriptors, which
 * mixes the channels of networks trained apart.)
 */
import * as tf from '../tf';
import type { SegmentationSample } from '../data/samples';
import { modelInputSize, tilesOf } from '../train/predict';
import { samplesToTensors } from '../train/tensors';

/** The deepest encoder layer (see the module comment). */
export function encoderLayer(model: tf.LayersModel): tf.layers.Layer {
  let deepest: tf.layers.Layer | undefined;
  let fewest = Number.POSITIVE_INFINITY;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const shape = layer.outputShape as number[];
    const pixels = (shape[1] ?? 0) * (shape[2] ?? 0);
    if (pixels <= fewest) {
      fewest = pixels;
      deepest = layer;
    }
  }
  if (!deepest) throw new RangeError(`model ${model.name} has no convolution layer to describe images with`);
  return deepest;
}

/** One descriptor per image: the spatial mean of the encoder layer's output, averaged over tiles. */
export async function encoderDescriptors(model: tf.LayersModel, images: readonly SegmentationSample[], options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<Float32Array[]> {
  const batchSize = options.batchSize ?? 4;
  const layer = encoderLayer(model);
  const probe = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  const input = modelInputSize(model);
  const channels = (layer.outputShape as number[])[3]!;
  const tiles = images.flatMap((image, index) => tilesOf(image, input).map((t) => ({ index, crop: t.crop })));
  const sums = images.map(() => new Float32Array(channels));
  const counts = new Uint32Array(images.length);
  for (let start = 0; start < tiles.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const batch = tiles.slice(start, start + batchSize);
    const means = tf.tidy(() => tf.mean(probe.predict(samplesToTensors(batch.map((t) => t.crop)).images) as tf.Tensor4D, [1, 2]));
    const values = await means.data();
    means.dispose();
    batch.forEach((tile, b) => {
      const sum = sums[tile.index]!;
      for (let c = 0; c < channels; c++) sum[c]! += values[b * channels + c]!;
      counts[tile.index]!++;
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return sums.map((sum, i) => sum.map((v) => v / Math.max(1, counts[i]!)));
}

/** The members' descriptors of each image, each centred on the pool's mean and scaled to unit length, concatenated. */
export function concatenatedUnitDescriptors(perMember: readonly Float32Array[][]): Float32Array[] {
  const images = perMember[0]?.length ?? 0;
  const means = perMember.map((member) => {
    const mean = new Float32Array(member[0]?.length ?? 0);
    for (const v of member) v.forEach((x, c) => (mean[c]! += x / member.length));
    return mean;
  });
  return Array.from({ length: images }, (_, i) => {
    const parts = perMember.map((member, m) => {
      const v = member[i]!.map((x, c) => x - means[m]![c]!);
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      return norm > 0 ? v.map((x) => x / norm) : v;
    });
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  });
}

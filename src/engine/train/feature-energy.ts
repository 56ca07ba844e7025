/**
 * Feature-map energy of the first convolution layer (the CC-Net paper's Fig. 1): for every
 * image and every filter of the model's first layer with a kernel, the energy of its feature
 * map is the mean of the squared activations (after the layer's own activation). Many
 * near-zero energies on a dataset mean many filters do little there, the paper's argument that
 * simpler datasets need fewer filters. Images larger than the model's input (a network trained on
 * patches) are cut into input-sized tiles, and each tile counts as an image.
 */
import * as tf from '../tf';
import type { SegmentationSample } from '../data/samples';
import { modelInputSize, tilesOf } from './predict';
import { samplesToTensors } from './tensors';

export interface FeatureEnergy {
  layerName: string;
  filters: number;
  /** One value per (image or tile, filter). */
  values: number[];
}

export function firstConvolution(model: tf.LayersModel): tf.layers.Layer {
  const layer = model.layers.find((l) => l.getClassName() === 'Conv2D');
  if (!layer) throw new RangeError(`model ${model.name} has no convolution layer`);
  return layer;
}

export async function featureMapEnergy(model: tf.LayersModel, samples: readonly SegmentationSample[], batchSize = 4): Promise<FeatureEnergy> {
  const layer = firstConvolution(model);
  const probe = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  const input = modelInputSize(model);
  const inputs = samples.flatMap((s) => tilesOf(s, input).map((t) => t.crop));
  const values: number[] = [];
  let filters = 0;
  for (let start = 0; start < inputs.length; start += batchSize) {
    const energies = tf.tidy(() => {
      const { images } = samplesToTensors(inputs.slice(start, start + batchSize));
      const maps = probe.predict(images) as tf.Tensor4D;
      filters = maps.shape[3];
      return tf.mean(tf.square(maps), [1, 2]);
    });
    values.push(...(await energies.data()));
    energies.dispose();
  }
  return { layerName: layer.name, filters, values };
}

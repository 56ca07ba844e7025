/**
 * Training a patch network (dcnn, dccn: a P x P patch in, the softmax over background and cell
 * of its labelled pixel out) in the training loop (./loop.ts), on the patches of
 * ../data/patch-pool.ts:
 *
 * - images are standardised as whole images, per channel ((x - mean) / max(std, 1/255), as
 *   ./tensors.ts does), and patches are cut from the standardised image, so that a patch looks
 *   the same in training and in dense prediction (../models/dense.ts), where a per-patch
 *   standardisation would have no fully convolutional equivalent;
 * - the patches: the balanced pool of the training images (N_p, seeded by the seed), of which
 *   the share `patchFraction` r (default 1) is taken, N_tr = max(1, round(r x N_p)); the loop's
 *   validation share (default 0.2, at least 1 of 2 or more) of those N_tr patches validates and
 *   the rest trains, each once per epoch in a seeded order, flipped and turned at random;
 * - the loss: the two-class softmax cross-entropy, -mean(ln p_label) with p clipped to
 *   [1e-7, 1] (the same as binary cross-entropy on the cell probability);
 * - validation: that loss, F1 and IoU of the cell class over the validation patches' labelled
 *   pixels (thresholded at 0.5), and the share predicted as cell.
 */
import * as tf from '../tf';
import type { SegmentationSample } from '../data/samples';
import { balancedPatchPool, extractPatch, patchFraction, type PatchCentre } from '../data/patch-pool';
import { labelOffsetPx } from '../models/dense';
import type { SeededRandom } from '../util/random';
import { imageMetrics, PREDICTION_THRESHOLD } from './metrics';
import { standardise } from './tensors';
import { splitItems, type TrainingData } from './training-data';
import { applyWeightTransform, type WeightTransform } from './validate';

const EPSILON = 1e-7;

/** The patch side when the model is a patch network (a square input, a 1x1x2 output), else undefined. */
export function patchClassifierOf(model: tf.LayersModel): { patchPx: number } | undefined {
  const input = model.inputs[0]!.shape;
  const output = model.outputs[0]!.shape;
  const isPatch = output[1] === 1 && output[2] === 1 && output[3] === 2 && typeof input[1] === 'number' && input[1] === input[2] && input[1] > 1;
  return isPatch ? { patchPx: input[1] as number } : undefined;
}

export interface PatchTrainingOptions {
  seed?: number;
  /** The share r of the pool to train on (default 1). */
  patchFraction?: number;
  validation?: SegmentationSample[];
  validationFraction?: number;
  augment?: boolean;
}

/** Softmax cross-entropy of N x 1 x 1 x 2 probabilities against N x 2 one-hot labels. */
export function softmaxCrossEntropy(probabilities: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.sum(tf.mul(tf.reshape(probabilities, oneHot.shape), oneHot), 1);
    return tf.neg(tf.mean(tf.log(tf.clipByValue(p, EPSILON, 1)))) as tf.Scalar;
  });
}

export function patchTrainingData(samples: readonly SegmentationSample[], patchPx: number, options: PatchTrainingOptions, random: SeededRandom): TrainingData {
  const seed = options.seed ?? 1;
  const standardised = new Map<SegmentationSample, Float32Array>();
  const imageOf = (s: SegmentationSample) => {
    let image = standardised.get(s);
    if (!image) standardised.set(s, (image = standardise(s.image, s.channels)));
    return image;
  };
  const pool = balancedPatchPool(samples, seed);
  const drawn = patchFraction(pool, options.patchFraction ?? 1, seed).map((p) => ({ ...p, sample: samples[p.image]! }));
  const split = options.validation
    ? { train: drawn, validation: balancedPatchPool(options.validation, seed).map((p) => ({ ...p, sample: options.validation![p.image]! })) }
    : splitItems(drawn, { validationFraction: options.validationFraction }, random);
  const { train, validation } = split;
  const offset = labelOffsetPx(patchPx);
  const channels = samples[0]!.channels;
  const tensorsOf = (patches: (PatchCentre & { sample: SegmentationSample })[], transforms?: number[]) => {
    const size = patchPx * patchPx * channels;
    const images = new Float32Array(patches.length * size);
    const labels = new Float32Array(patches.length * 2);
    patches.forEach((p, i) => {
      extractPatch(imageOf(p.sample), p.sample, p.y, p.x, patchPx, offset, transforms?.[i] ?? 0, images.subarray(i * size, (i + 1) * size));
      labels[i * 2 + p.label] = 1;
    });
    return { inputs: tf.tensor4d(images, [patches.length, patchPx, patchPx, channels]), targets: tf.tensor2d(labels, [patches.length, 2]) };
  };
  return {
    trainCount: train.length,
    validationCount: validation.length,
    validationForeground: validation.length > 0 ? validation.filter((p) => p.label === 1).length / validation.length : Number.NaN,
    itemCount: train.length,
    batch(items, random) {
      const patches = items.map((k) => train[k]!);
      const transforms = patches.map(() => (options.augment === false ? 0 : random.integer(0, 7)));
      return tensorsOf(patches, transforms);
    },
    loss: (outputs, targets) => softmaxCrossEntropy(Array.isArray(outputs) ? outputs[0]! : outputs, targets),
    async validate(model: tf.LayersModel, batchSize: number, transform: WeightTransform | undefined) {
      const floats = transform ? model.trainableWeights.map((w) => w.read().clone()) : [];
      if (transform) applyWeightTransform(model, transform);
      try {
        const cell = new Float32Array(validation.length);
        let loss = 0;
        for (let start = 0; start < validation.length; start += batchSize) {
          const part = validation.slice(start, start + batchSize);
          const [probabilities, batchLoss] = tf.tidy(() => {
            const { inputs, targets } = tensorsOf(part);
            const out = model.predict(inputs) as tf.Tensor;
            return [tf.reshape(out, [part.length, 2]).arraySync() as number[][], softmaxCrossEntropy(out, targets).dataSync()[0]!] as const;
          });
          probabilities.forEach((p, i) => (cell[start + i] = p[1]!));
          loss += batchLoss * part.length;
          await new Promise((resolve) => setImmediate(resolve));
        }
        const labels = Uint8Array.from(validation, (p) => p.label);
        const metrics = imageMetrics(cell, labels);
        const predicted = cell.filter((p) => p >= PREDICTION_THRESHOLD).length / cell.length;
        return { loss: loss / validation.length, f1: metrics.f1, iou: metrics.iou, predictedForeground: predicted };
      } finally {
        if (transform) {
          model.trainableWeights.forEach((w, i) => w.write(floats[i]!));
          tf.dispose(floats);
        }
      }
    },
    patchNetwork: { patchPx, poolPatches: pool.length, drawnPatches: drawn.length },
  };
}

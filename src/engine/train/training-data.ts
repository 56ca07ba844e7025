/**
 * What the training loop (./loop.ts) trains on, for segmentation networks: whole samples or
 * random crops of them, flipped and turned, with BCE (+ soft Dice) on the sigmoid outputs, and
 * validated on whole samples. The patch networks have their own (./patch-task.ts).
 */
import * as tf from '../tf';
import type { SegmentationSample } from '../data/samples';
import { SeededRandom, shuffledIndices } from '../util/random';
import { checkPatchFits, patchesPerImage, randomCrop } from '../data/patches';
import { applyTransform, randomTransform } from './augment';
import { DEFAULT_SEGMENTATION_LOSS, segmentationLoss, type SegmentationLossKind } from './loss';
import { foregroundFraction } from './output-bias';
import { samplesToTensors } from './tensors';
import { validateDeployed, type WeightTransform } from './validate';

export interface ValidationScores {
  loss: number;
  f1: number;
  iou: number;
  predictedForeground: number;
}

/** The training items of a run and how to make batches of them, score them and validate. */
export interface TrainingData {
  trainCount: number;
  validationCount: number;
  /** Share of foreground in the validation targets; NaN without validation. */
  validationForeground: number;
  /** Items per epoch (each epoch takes them in a new seeded order). */
  itemCount: number;
  /** The model's input and target tensors for these items (uses `random` for crops and augmentation). */
  batch(items: number[], random: SeededRandom): { inputs: tf.Tensor4D; targets: tf.Tensor };
  loss(outputs: tf.Tensor | tf.Tensor[], targets: tf.Tensor): tf.Scalar;
  validate(model: tf.LayersModel, batchSize: number, transform: WeightTransform | undefined): Promise<ValidationScores>;
  /** Present when training used random crops of this size. */
  patchPx?: number;
  /** Present for a patch network: its patch, N_p (the pool's patches) and N_tr (those drawn, validation included). */
  patchNetwork?: { patchPx: number; poolPatches: number; drawnPatches: number };
}

export interface SplitOptions {
  validation?: SegmentationSample[];
  validationFraction?: number;
}

/** `validation` if given, else `validationFraction` (default 0.2) of the items, at least 1 of 2 or more. */
export function splitItems<T>(items: readonly T[], options: { validation?: T[]; validationFraction?: number }, random: SeededRandom): { train: T[]; validation: T[] } {
  if (options.validation) return { train: [...items], validation: options.validation };
  const fraction = options.validationFraction ?? 0.2;
  if (items.length < 2 || fraction <= 0) return { train: [...items], validation: [] };
  const order = shuffledIndices(items.length, random);
  const count = Math.min(items.length - 1, Math.max(1, Math.round(items.length * fraction)));
  return { train: order.slice(count).map((i) => items[i]!), validation: order.slice(0, count).map((i) => items[i]!) };
}

/**
 * The training and validation samples trainModel uses for these samples and options (the same
 * seed gives the same split: it is the first use of the seeded generator).
 */
export function trainValidationSplit(samples: readonly SegmentationSample[], options: SplitOptions & { seed?: number }) {
  return splitItems(samples, options, new SeededRandom(options.seed ?? 1));
}

export function imageTrainingData(
  samples: readonly SegmentationSample[],
  options: SplitOptions & { patchPx?: number; augment?: boolean; loss?: SegmentationLossKind; auxiliaryLossWeights?: number[] },
  random: SeededRandom,
): TrainingData {
  const { train, validation } = splitItems(samples, options, random);
  const patchPx = options.patchPx;
  if (patchPx !== undefined) checkPatchFits([...train, ...validation], patchPx);
  // the training items of one epoch: indices into train, once per crop when training on patches
  const epochItems = train.flatMap((s, i) => Array.from({ length: patchPx ? patchesPerImage(s, patchPx) : 1 }, () => i));
  const square = patchPx !== undefined || train[0]!.widthPx === train[0]!.heightPx;
  const lossKind = options.loss ?? DEFAULT_SEGMENTATION_LOSS;
  const auxWeights = options.auxiliaryLossWeights ?? [];
  return {
    trainCount: train.length,
    validationCount: validation.length,
    validationForeground: validation.length > 0 ? foregroundFraction(validation) : Number.NaN,
    itemCount: epochItems.length,
    batch(items, random) {
      const whole = items.map((k) => train[epochItems[k]!]!);
      const members = patchPx ? whole.map((s) => randomCrop(s, patchPx, random)) : whole;
      const augmented = members.map((s) => (options.augment === false ? s : { ...s, ...applyTransform(s, randomTransform(random, square)) }));
      const { images, masks } = samplesToTensors(augmented);
      return { inputs: images, targets: masks };
    },
    loss(outputs, masks) {
      const list = Array.isArray(outputs) ? outputs : [outputs];
      let loss = segmentationLoss(masks, list[0]!, lossKind);
      list.slice(1).forEach((output, k) => {
        loss = tf.add(loss, tf.mul(auxWeights[k] ?? 0, segmentationLoss(masks, output, lossKind))) as tf.Scalar;
      });
      return loss;
    },
    validate: (model, batchSize, transform) => validateDeployed(model, validation, batchSize, lossKind, transform),
    ...(patchPx ? { patchPx } : {}),
  };
}

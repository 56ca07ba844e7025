/**
 * Segmentation losses on sigmoid probabilities p and 0/1 masks y.
 *
 * - 'bce': mean binary cross-entropy, -mean(y log p + (1 - y) log(1 - p)) (tf.losses.logLoss).
 * - 'bce+dice' (default): BCE plus the soft Dice loss 1 - (2 sum(p y) + 1) / (sum(p) + sum(y) + 1),
 *   sums over every pixel of the batch (Milletari et al., V-Net, 3DV 2016; the +1 smoothing keeps
 *   an empty mask finite). The Dice term does not shrink with the foreground's share of the
 *   pixels, so thin or sparse structures (retinal vessels: about a tenth of the pixels) are not
 *   traded away for the background as plain BCE does.
 */
import * as tf from '../tf';
import { binaryCrossEntropy } from './metrics';

export type SegmentationLossKind = 'bce' | 'bce+dice';
export const DEFAULT_SEGMENTATION_LOSS: SegmentationLossKind = 'bce+dice';
export const DICE_SMOOTHING = 1;

/** The loss as a scalar tensor (differentiable). */
export function segmentationLoss(masks: tf.Tensor, probabilities: tf.Tensor, kind: SegmentationLossKind): tf.Scalar {
  return tf.tidy(() => {
    const bce = tf.losses.logLoss(masks, probabilities) as tf.Scalar;
    if (kind === 'bce') return bce;
    const intersection = tf.sum(tf.mul(masks, probabilities));
    const dice = tf.div(tf.add(tf.mul(2, intersection), DICE_SMOOTHING), tf.add(tf.add(tf.sum(probabilities), tf.sum(masks)), DICE_SMOOTHING));
    return tf.add(bce, tf.sub(1, dice)) as tf.Scalar;
  });
}

/** The same loss on plain arrays (one image), for validation without tensors. */
export function segmentationLossOf(probabilities: ArrayLike<number>, mask: ArrayLike<number>, kind: SegmentationLossKind): number {
  const bce = binaryCrossEntropy(probabilities, mask);
  if (kind === 'bce') return bce;
  let intersection = 0;
  let sumP = 0;
  let sumY = 0;
  for (let i = 0; i < mask.length; i++) {
    intersection += probabilities[i]! * mask[i]!;
    sumP += probabilities[i]!;
    sumY += mask[i]!;
  }
  return bce + 1 - (2 * intersection + DICE_SMOOTHING) / (sumP + sumY + DICE_SMOOTHING);
}

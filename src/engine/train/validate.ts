/**
 * Validation during training (see ./loop.ts): the mean loss, F1 and IoU of the main output over
 * whole validation samples, of the network that will be deployed.
 */
import * as tf from '../tf';
import type { SegmentationSample } from '../data/samples';
import { segmentationLossOf, type SegmentationLossKind } from './loss';
import { imageMetrics, PREDICTION_THRESHOLD } from './metrics';
import { predictProbabilityMaps } from './predict';

/**
 * A transform of the weights the forward and backward pass see (quantization-aware training's
 * fake quantization, magnitude pruning's masks); undefined leaves a variable as it is.
 */
export type WeightTransform = (variable: tf.LayerVariable, value: tf.Tensor) => tf.Tensor | undefined;

/** Sets every variable to its transformed value (for the end of training). */
export function applyWeightTransform(model: tf.LayersModel, transform: WeightTransform): void {
  tf.tidy(() => {
    for (const variable of model.trainableWeights) {
      const transformed = transform(variable, variable.read());
      if (transformed) variable.write(transformed);
    }
  });
}

/**
 * Validation of the network that will be deployed: with a weight transform, the variables hold
 * the transformed weights while validating, then their float values again (training goes on
 * from those).
 */
export async function validateDeployed(
  model: tf.LayersModel,
  samples: readonly SegmentationSample[],
  batchSize: number,
  lossKind: SegmentationLossKind,
  transform: WeightTransform | undefined,
) {
  if (!transform) return validate(model, samples, batchSize, lossKind);
  const floats = model.trainableWeights.map((w) => w.read().clone());
  applyWeightTransform(model, transform);
  try {
    return await validate(model, samples, batchSize, lossKind);
  } finally {
    model.trainableWeights.forEach((w, i) => w.write(floats[i]!));
    tf.dispose(floats);
  }
}

/**
 * Mean loss, F1 and IoU of the main output over whole samples (tile by tile when they are larger
 * than the input), and the share of all their pixels predicted as foreground.
 */
async function validate(model: tf.LayersModel, samples: readonly SegmentationSample[], batchSize: number, lossKind: SegmentationLossKind) {
  const maps = await predictProbabilityMaps(model, samples, { batchSize });
  let loss = 0;
  let f1 = 0;
  let iou = 0;
  let foregroundPixels = 0;
  let pixels = 0;
  samples.forEach((s, i) => {
    const map = maps[i]!;
    const m = imageMetrics(map, s.mask);
    loss += segmentationLossOf(map, s.mask, lossKind);
    f1 += m.f1;
    iou += m.iou;
    for (let p = 0; p < map.length; p++) if (map[p]! >= PREDICTION_THRESHOLD) foregroundPixels++;
    pixels += map.length;
  });
  return { loss: loss / samples.length, f1: f1 / samples.length, iou: iou / samples.length, predictedForeground: foregroundPixels / pixels };
}

/** One training step with the straight-through estimator (see ./loop.ts TrainOptions.weightTransform). */
export function straightThroughStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  lossFunction: () => tf.Scalar,
  transform: WeightTransform,
): number {
  const floats = new Map<tf.LayerVariable, tf.Tensor>();
  for (const variable of model.trainableWeights) {
    const transformed = transform(variable, variable.read());
    if (!transformed) continue;
    floats.set(variable, variable.read().clone());
    variable.write(transformed);
  }
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(lossFunction, variables);
  for (const [variable, float] of floats) variable.write(float);
  optimizer.applyGradients(grads);
  return value.dataSync()[0]!;
}

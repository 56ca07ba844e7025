/**
 * The training loop: Adam on a segmentation loss (plus weighted auxiliary outputs), in batches,
 * with a validation split, early stopping, augmentation, a repeatable seed, progress per step,
 * cancellation within one step, and the best epoch's weights kept.
 *
 * - Loss: `loss` (default BCE + soft Dice, see ./loss.ts) of output 0 plus, for networks with
 *   auxiliary classifiers, sum_k weight_k * loss(output_k), on the sigmoid outputs. The
 *   validation loss is the same loss averaged over images.
 * - Validation: `validation` samples if given, else `validationFraction` (default 0.2) of the
 *   samples, at least 1 when there are 2 or more; no validation with a single sample (then the
 *   training loss stands in for it). Reported each epoch: loss, mean F1 and IoU.
 * - Best checkpoint: the weights of the epoch with the lowest validation loss are copied and
 *   restored at the end (also when cancelled or stopped by a NaN loss or out of memory).
 * - With a weight transform (quantization-aware training, magnitude pruning) every epoch
 *   validates the deployed network, the transformed weights, and the best epoch is chosen on it.
 * - Early stopping: after `patience` epochs without a lower validation loss (off when 0).
 * - Seed: shuffling and augmentation use a seeded generator, and models built with the same
 *   seed start from the same weights, so a run repeats exactly on the same backend. Dropout and
 *   GPU reductions are not covered.
 * - Cancellation: the signal is checked after every step; the loop yields to the event loop
 *   between steps so that a cancel request can arrive.
 * - Checkpoints (optional, `checkpoint`): the state at the end of every epoch is saved, and a
 *   training that finds one continues after its epoch with the same steps (./checkpoint.ts).
 * - Patch networks (a P x P input, a 1x1x2 softmax output: dcnn, dccn) train on the balanced
 *   patches of the samples with the softmax cross-entropy instead (./patch-task.ts); the rest
 *   of the loop (Adam, validation, best epoch, early stopping, checkpoints) is the same.
 */
import * as tf from '../tf';
import type { SegmentationSample } from '../data/samples';
import { SeededRandom, shuffledIndices } from '../util/random';
import type { SegmentationLossKind } from './loss';
import { checkpointTensors, type CheckpointStore } from './checkpoint';
import { resumeFrom, saveCheckpoint } from './checkpoint-state';
import { applyWeightTransform, straightThroughStep, type WeightTransform } from './validate';
import { imageTrainingData, trainValidationSplit, type TrainingData } from './training-data';
import { patchClassifierOf, patchTrainingData } from './patch-task';

export { applyWeightTransform, trainValidationSplit };

export const DEFAULT_LEARNING_RATE = 5e-5;

export interface TrainOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  validation?: SegmentationSample[];
  validationFraction?: number;
  /** Epochs without improvement before stopping; 0 = never stop early. */
  patience?: number;
  augment?: boolean;
  /**
   * Train on random patchPx x patchPx crops of the samples (the model's input size) instead of
   * whole samples: each epoch takes ceil(W * H / patchPx^2) crops of every training sample
   * (see ../data/patches.ts); validation predicts whole samples tile by tile.
   */
  patchPx?: number;
  seed?: number;
  /** Patch networks: the share r of the balanced patch pool to train on (default 1; ./patch-task.ts). */
  patchFraction?: number;
  /** Segmentation loss (default 'bce+dice'). */
  loss?: SegmentationLossKind;
  /** Loss weights of outputs 1.. (auxiliary classifiers). */
  auxiliaryLossWeights?: number[];
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
  /**
   * Optional transform of the weights seen by the forward and backward pass, with the
   * straight-through estimator: each step sets the variables to transform(float weights),
   * computes the gradients there, restores the float weights and applies the gradients to them.
   * Used by quantization-aware training (fake quantization) and by magnitude pruning (masks).
   * At the end the model holds the transformed weights.
   */
  weightTransform?: WeightTransform;
  /** Save the state after every epoch here, and continue from the state found there. */
  checkpoint?: CheckpointStore;
  /** Called once, before the first step, when training continues from a checkpoint. */
  onResume?: (resumed: NonNullable<TrainResult['resumed']>) => void;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  validationLoss: number;
  validationF1: number;
  validationIoU: number;
  /** Share of validation pixels the network predicts as foreground (probability at least PREDICTION_THRESHOLD); NaN without validation. */
  validationPredictedForeground: number;
  ms: number;
}

export interface TrainProgress {
  kind: 'step' | 'epoch';
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  elapsedMs: number;
  msLeft: number;
  record?: EpochRecord;
}

export interface TrainResult {
  epochsRun: number;
  stepsRun: number;
  cancelled: boolean;
  stoppedEarly: boolean;
  /** Why training ended before its last epoch (NaN loss, out of memory, early stopping, cancel). */
  stopReason?: string;
  /** The epoch whose weights the model holds at the end (1-based; 0 if none finished). */
  bestEpoch: number;
  history: EpochRecord[];
  trainMs: number;
  trainCount: number;
  validationCount: number;
  /** Share of foreground pixels in the validation masks; NaN without validation. */
  validationForeground: number;
  /** Present when training used random crops of this size (TrainOptions.patchPx). */
  patchPx?: number;
  /** Present for a patch network: its patch side, N_p and N_tr (trainCount + validationCount patches). */
  patchNetwork?: { patchPx: number; poolPatches: number; drawnPatches: number };
  /** Present when training continued from a checkpoint: its epoch and when it was saved. */
  resumed?: { fromEpoch: number; savedAt: string };
}

function isOutOfMemory(error: unknown): boolean {
  return /out of memory|OOM|Cannot allocate|Array buffer allocation failed|Invalid typed array length|memory access out of bounds/i.test(String(error));
}

export async function trainModel(model: tf.LayersModel, samples: readonly SegmentationSample[], options: TrainOptions): Promise<TrainResult> {
  const batchSize = options.batchSize ?? 4;
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new RangeError(`epochs must be a whole number above 0, not ${options.epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch must be a whole number above 0, not ${batchSize}`);
  if (samples.length === 0) throw new RangeError('there is nothing to train on: the dataset has no samples');
  const random = new SeededRandom(options.seed ?? 1);
  const patchNetwork = patchClassifierOf(model);
  const data: TrainingData = patchNetwork ? patchTrainingData(samples, patchNetwork.patchPx, options, random) : imageTrainingData(samples, options, random);
  const optimizer = tf.train.adam(options.learningRate ?? DEFAULT_LEARNING_RATE);
  const stepsPerEpoch = Math.ceil(data.itemCount / batchSize);
  let started = performance.now();
  const history: EpochRecord[] = [];
  let best: { epoch: number; loss: number; weights: tf.Tensor[] } | undefined;
  let stepsRun = 0;
  let stopReason: string | undefined;
  let cancelled = false;
  let stoppedEarly = false;
  let epochsWithoutImprovement = 0;
  let firstEpoch = 1;
  let resumed: TrainResult['resumed'];
  const checkpoint = options.checkpoint ? await options.checkpoint.load() : undefined;
  if (checkpoint) {
    try {
      if (await resumeFrom(checkpoint, model, optimizer, random)) {
        history.push(...checkpoint.history);
        best = checkpoint.best && { ...checkpoint.best, weights: checkpoint.best.weights.map((w) => w.clone()) };
        stepsRun = checkpoint.stepsRun;
        epochsWithoutImprovement = checkpoint.epochsWithoutImprovement;
        started -= checkpoint.elapsedMs;
        firstEpoch = checkpoint.epoch + 1;
        resumed = { fromEpoch: checkpoint.epoch, savedAt: checkpoint.savedAt };
        options.onResume?.(resumed);
        if (checkpoint.stopReason) {
          stopReason = checkpoint.stopReason;
          stoppedEarly = true;
        }
      }
    } finally {
      tf.dispose(checkpointTensors(checkpoint));
    }
  }

  const keepBest = (epoch: number, loss: number) => {
    if (best && !(loss < best.loss)) return false;
    // a step can leave non-finite weights even when its loss was finite: never keep those
    const finite = tf.tidy(() => model.getWeights().every((w) => tf.all(tf.isFinite(w)).dataSync()[0] === 1));
    if (!finite) return false;
    if (best) tf.dispose(best.weights);
    best = { epoch, loss, weights: model.getWeights().map((w) => w.clone()) };
    return true;
  };

  try {
    for (let epoch = firstEpoch; epoch <= options.epochs && !stopReason; epoch++) {
      const epochStart = performance.now();
      const order = shuffledIndices(data.itemCount, random);
      let lossSum = 0;
      for (let step = 0; step < stepsPerEpoch; step++) {
        const items = order.slice(step * batchSize, (step + 1) * batchSize);
        let lossValue: number;
        try {
          lossValue = tf.tidy(() => {
            const { inputs, targets } = data.batch(items, random);
            const lossFunction = () => data.loss(model.apply(inputs, { training: true }) as tf.Tensor | tf.Tensor[], targets);
            if (!options.weightTransform) {
              const loss = optimizer.minimize(lossFunction, true) as tf.Scalar;
              return loss.dataSync()[0]!;
            }
            return straightThroughStep(model, optimizer, lossFunction, options.weightTransform);
          });
        } catch (error) {
          if (isOutOfMemory(error)) {
            stopReason = `out of memory at epoch ${epoch}, step ${step + 1} (batch ${batchSize}); use a smaller batch, input size or alpha`;
            break;
          }
          throw error;
        }
        stepsRun++;
        if (!Number.isFinite(lossValue)) {
          stopReason = `the loss became ${lossValue} at epoch ${epoch}, step ${step + 1}; lower the learning rate (lr) or check the data`;
          break;
        }
        lossSum += lossValue;
        const elapsedMs = performance.now() - started;
        const totalSteps = options.epochs * stepsPerEpoch;
        options.onProgress?.({ kind: 'step', epoch, epochs: options.epochs, step: step + 1, stepsPerEpoch, loss: lossValue, elapsedMs, msLeft: (elapsedMs / stepsRun) * (totalSteps - stepsRun) });
        await new Promise((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) {
          cancelled = true;
          stopReason = `cancelled at epoch ${epoch}, step ${step + 1}`;
          break;
        }
      }
      if (stopReason) break;
      const trainLoss = lossSum / stepsPerEpoch;
      const scores = data.validationCount > 0 ? await data.validate(model, batchSize, options.weightTransform) : { loss: trainLoss, f1: Number.NaN, iou: Number.NaN, predictedForeground: Number.NaN };
      const record: EpochRecord = {
        epoch,
        loss: trainLoss,
        validationLoss: scores.loss,
        validationF1: scores.f1,
        validationIoU: scores.iou,
        validationPredictedForeground: scores.predictedForeground,
        ms: performance.now() - epochStart,
      };
      history.push(record);
      if (keepBest(epoch, scores.loss)) epochsWithoutImprovement = 0;
      else epochsWithoutImprovement++;
      const elapsedMs = performance.now() - started;
      options.onProgress?.({ kind: 'epoch', epoch, epochs: options.epochs, step: stepsPerEpoch, stepsPerEpoch, loss: trainLoss, elapsedMs, msLeft: (elapsedMs / epoch) * (options.epochs - epoch), record });
      if (options.patience && epochsWithoutImprovement >= options.patience && epoch < options.epochs) {
        stoppedEarly = true;
        stopReason = `stopped early: no lower validation loss for ${options.patience} epochs`;
      }
      if (options.checkpoint) {
        await saveCheckpoint(options.checkpoint, {
          epoch,
          history,
          stepsRun,
          elapsedMs: performance.now() - started,
          randomState: random.state,
          epochsWithoutImprovement,
          ...(stoppedEarly && stopReason ? { stopReason } : {}),
          best,
          model,
          optimizer,
        });
      }
    }
  } finally {
    optimizer.dispose();
    if (best) {
      model.setWeights(best.weights);
      tf.dispose(best.weights);
    }
    if (options.weightTransform) applyWeightTransform(model, options.weightTransform);
  }
  return {
    epochsRun: history.length,
    stepsRun,
    cancelled,
    stoppedEarly,
    ...(stopReason ? { stopReason } : {}),
    bestEpoch: best?.epoch ?? 0,
    history,
    trainMs: performance.now() - started,
    trainCount: data.trainCount,
    validationCount: data.validationCount,
    validationForeground: data.validationForeground,
    ...(data.patchPx ? { patchPx: data.patchPx } : {}),
    ...(data.patchNetwork ? { patchNetwork: data.patchNetwork } : {}),
    ...(resumed ? { resumed } : {}),
  };
}

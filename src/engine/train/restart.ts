/**
 * Restarts of a training run that collapsed to a constant prediction.
 *
 * A run has collapsed when, at the epoch whose weights it keeps, the network predicts the same
 * class at all but COLLAPSE_SHARE of the validation pixels (background everywhere, or foreground
 * everywhere) although the validation masks hold both classes. Very narrow networks (two filters
 * in the first layers) sometimes do: their few ReLUs go dark early and never recover. U-Net at
 * 1/32 width on DIC HeLa patches did so with one seed and learned (test F1 0.813) from another
 * initialisation of the same data, split and crops.
 *
 * `trainWithRestarts` trains, checks the validation images (never the test images), and on a
 * collapse builds the network again from another initialisation (attempt k) and trains again,
 * up to `maxRestarts` times; everything else (data, split, crops, augmentation) stays the same.
 * The result's `trainMs` counts every attempt, so timings stay honest, and `restarts` says why
 * each earlier attempt was discarded.
 */
import type * as tf from '../tf';
import type { TrainResult } from './loop';

/** A class predicted at more than 1 - COLLAPSE_SHARE of the validation pixels is a collapse. */
export const COLLAPSE_SHARE = 0.001;
/** Restarts of a collapsed run by default (so at most 3 attempts). */
export const DEFAULT_MAX_RESTARTS = 2;

export interface Restart {
  /** 1-based attempt that collapsed. */
  attempt: number;
  reason: string;
  trainMs: number;
}

export interface RestartedTraining {
  model: tf.LayersModel;
  result: TrainResult & { restarts: Restart[] };
  /** The final attempt collapsed as well (after every restart). */
  collapsed?: string;
}

/** Why a finished run counts as collapsed, or undefined when it does not. */
export function collapseOf(result: TrainResult): string | undefined {
  if (result.cancelled || result.validationCount === 0) return undefined;
  const kept = result.history.find((h) => h.epoch === result.bestEpoch);
  const truth = result.validationForeground;
  if (!kept || !(truth > COLLAPSE_SHARE && truth < 1 - COLLAPSE_SHARE)) return undefined;
  const predicted = kept.validationPredictedForeground;
  const where = `at epoch ${kept.epoch} (the weights kept) on the ${result.validationCount} validation image${result.validationCount === 1 ? '' : 's'}, whose masks are ${(truth * 100).toFixed(1)}% foreground`;
  if (predicted <= COLLAPSE_SHARE) return `it predicts background at ${((1 - predicted) * 100).toFixed(2)}% of the pixels ${where}`;
  if (predicted >= 1 - COLLAPSE_SHARE) return `it predicts foreground at ${(predicted * 100).toFixed(2)}% of the pixels ${where}`;
  return undefined;
}

export async function trainWithRestarts(
  build: (attempt: number) => tf.LayersModel,
  train: (model: tf.LayersModel, attempt: number) => Promise<TrainResult>,
  options: { maxRestarts?: number; onRestart?: (restart: Restart, nextAttempt: number, attempts: number) => void } = {},
): Promise<RestartedTraining> {
  const maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0) throw new RangeError(`restarts must be a whole number of at least 0, not ${maxRestarts}`);
  const restarts: Restart[] = [];
  let earlierMs = 0;
  for (let attempt = 1; ; attempt++) {
    const model = build(attempt);
    let result: TrainResult;
    try {
      result = await train(model, attempt);
    } catch (error) {
      model.dispose();
      throw error;
    }
    const collapse = collapseOf(result);
    const total = { ...result, trainMs: result.trainMs + earlierMs, restarts };
    if (!collapse) return { model, result: total };
    if (attempt > maxRestarts) return { model, result: total, collapsed: collapse };
    model.dispose();
    const restart = { attempt, reason: collapse, trainMs: result.trainMs };
    restarts.push(restart);
    earlierMs += result.trainMs;
    options.onRestart?.(restart, attempt + 1, maxRestarts + 1);
  }
}

/**
 * The training steps of derived models (L1 pruning's fine-tuning, magnitude pruning's retraining,
 * quantization-aware training) go through the training cache and the epoch checkpoints as a
 * `train` does (./training.ts), so that running `prune` or `quantize ... aware` again after a
 * reload, a crash or a kernel restart restores the derived model in seconds, and an interrupted
 * fine-tuning continues from its last epoch.
 *
 * Key: the source model's own training key (absent for a model opened from a folder or trained
 * without the cache: then nothing is cached), the step's arguments (method, ratio, bits, epochs,
 * learning rate), the training options and the training recipe. The derived network's structure
 * is a function of the source's weights and the step's arguments (L1 pruning keeps the filters of
 * largest L1 norm), so the caller builds it as before and a restore only sets its weights.
 */
import type * as tf from '../engine/tf';
import { trainingKey } from '../engine/train/training-cache';
import type { SegmentationSample } from '../engine/data/samples';
import type { TrainOptions, TrainResult } from '../engine/train/loop';
import type { Evaluation } from '../engine/train/evaluate';
import type { Latency } from '../engine/train/latency';
import type { ExecutionContext } from './context';
import type { TrainedModel } from './models';
import { markdownOutput } from '../protocol/outputs';
import { checkpointOf, removeCheckpoints, restoreTraining, restoredNote, resumedNote, storeTraining } from './training-cache';
import { runTraining, TRAINING_RECIPE } from './training';

export interface FineTuned {
  result: TrainResult;
  /** The derived model's own training key (for models derived from it in turn); absent without a source key. */
  key?: string;
  /** When the fine-tuning was restored from the cache: when it was stored. */
  restoredFrom?: string;
  /**
   * Stores the finished fine-tuning with its evaluation (a derived model's held-out evaluation; for
   * an intermediate model, its validation evaluation); call after evaluating. A no-op when
   * restored, cancelled or uncached.
   */
  store(record: { params: number; evaluation?: Evaluation; latency?: Latency }): Promise<void>;
}

/** The cache key of a derived model's training step, or undefined when its source has no key. */
export function fineTuningKey(source: TrainedModel, step: Record<string, unknown>, options: Omit<TrainOptions, 'signal' | 'onProgress'>): string | undefined {
  if (!source.trainingKey) return undefined;
  const { weightTransform: _transform, checkpoint: _checkpoint, onResume: _onResume, validation: _validation, ...plain } = options;
  return trainingKey({ derivedFrom: source.trainingKey, step, options: plain, recipe: TRAINING_RECIPE });
}

/**
 * Trains `model` (already derived from `source`) for the step, or restores its weights from the
 * training cache when the same step of the same source was trained before.
 */
export async function fineTune(
  context: ExecutionContext,
  source: TrainedModel,
  step: Record<string, unknown>,
  model: tf.LayersModel,
  train: SegmentationSample[],
  options: Omit<TrainOptions, 'signal' | 'onProgress'>,
  label: string,
  livePlot = true,
): Promise<FineTuned> {
  const key = fineTuningKey(source, step, options);
  if (!key) return { result: await runTraining(context, model, train, options, label, livePlot), store: async () => undefined };
  const say = (text: string) => (livePlot ? context.emit({ type: 'output', output: markdownOutput(text) }) : context.emit({ type: 'log', stream: 'stderr', text: `${text}\n` }));
  const restored = await restoreTraining(context, key);
  if (restored) {
    try {
      model.setWeights(restored.model.getWeights());
    } finally {
      restored.model.dispose();
    }
    say(`${label}: ${restoredNote(restored.storedAt, restored.stored.train.trainMs)} (training cache; **CC-Net: Clear Training Cache** or \`ccnet cache clear\` trains it again)`);
    return { result: restored.stored.train, key, restoredFrom: restored.storedAt, store: async () => undefined };
  }
  if (context.freshTraining) await removeCheckpoints(context, key);
  const onResume = (resumed: { fromEpoch: number; savedAt: string }) => say(`${label}: ${resumedNote(resumed, options.epochs)}`);
  const result = await runTraining(context, model, train, { ...options, checkpoint: checkpointOf(context, key, 1), onResume }, label, livePlot);
  return {
    result,
    key,
    store: async (record) => {
      if (result.cancelled || !record.evaluation) return;
      await storeTraining(context, key, model, { params: record.params, train: result, restarts: [], evaluation: record.evaluation, ...(record.latency ? { latency: record.latency } : {}) }, label);
      await removeCheckpoints(context, key);
    },
  };
}

/**
 * Between the training loop and its checkpoints (./checkpoint.ts): what of a running training
 * goes into a checkpoint (the model's weights, the optimiser's state, including Adam's running
 * powers of beta1 and beta2, which tfjs keeps in private fields) and how a checkpoint is put back.
 */
import * as tf from '../tf';
import type { SeededRandom } from '../util/random';
import type { CheckpointStore, TrainCheckpoint } from './checkpoint';

/** Adam's running powers of beta1 and beta2 (private fields of tfjs' AdamOptimizer), when present. */
function adamAccumulators(optimizer: tf.Optimizer): tf.Variable[] {
  const adam = optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  return adam.accBeta1 && adam.accBeta2 ? [adam.accBeta1, adam.accBeta2] : [];
}

export async function saveCheckpoint(
  store: CheckpointStore,
  state: Omit<TrainCheckpoint, 'savedAt' | 'weights' | 'optimizer' | 'best'> & { best: TrainCheckpoint['best']; model: tf.LayersModel; optimizer: tf.Optimizer },
): Promise<void> {
  const { model, optimizer, best, ...rest } = state;
  const optimizerWeights = await optimizer.getWeights();
  const iterations = optimizerWeights[0]?.tensor;
  try {
    await store.save({
      ...rest,
      history: [...rest.history],
      savedAt: new Date().toISOString(),
      weights: model.getWeights(),
      ...(best ? { best } : {}),
      optimizer: { weights: optimizerWeights, accumulators: adamAccumulators(optimizer) },
    });
  } finally {
    iterations?.dispose(); // a new scalar; the moments are the optimiser's own variables
  }
}

/**
 * Puts the checkpoint's state into the model, the optimiser and the generator; false (and
 * nothing changed) when its weights do not fit the model.
 */
export async function resumeFrom(checkpoint: TrainCheckpoint, model: tf.LayersModel, optimizer: tf.Optimizer, random: SeededRandom): Promise<boolean> {
  const current = model.getWeights();
  const fits = current.length === checkpoint.weights.length && current.every((w, i) => w.shape.join() === checkpoint.weights[i]!.shape.join());
  if (!fits) return false;
  model.setWeights(checkpoint.weights);
  await optimizer.setWeights(checkpoint.optimizer.weights);
  adamAccumulators(optimizer).forEach((variable, i) => {
    const saved = checkpoint.optimizer.accumulators[i];
    if (saved) variable.assign(saved);
  });
  random.state = checkpoint.randomState;
  return true;
}

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '../../../src/engine/tf';
import { FileCheckpointStore } from '../../../src/engine/train/checkpoint';
import { trainModel, type TrainOptions } from '../../../src/engine/train/loop';
import { tempFolder } from '../../helpers/tmp';
import { brightSamples } from '../../helpers/samples';

before(async () => {
  await tf.setBackend('cpu');
});

const samples = brightSamples;

function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 1] });
  const hidden = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }) }).apply(input) as tf.SymbolicTensor;
  const output = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 12 }) }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

const OPTIONS: TrainOptions = { epochs: 5, batchSize: 2, learningRate: 0.02, seed: 4, patience: 0 };

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

test('a run interrupted after epoch 2 and continued from its checkpoint ends with the same weights and history as an uninterrupted run', async () => {
  const data = samples(8, 1);
  const whole = tinyModel();
  const uninterrupted = await trainModel(whole, data, OPTIONS);

  const dir = await tempFolder();
  try {
    const store = new FileCheckpointStore(join(dir.path, 'run.ckpt'));
    const abort = new AbortController();
    const first = tinyModel();
    const stopped = await trainModel(first, data, {
      ...OPTIONS,
      checkpoint: store,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.kind === 'step' && p.epoch === 3 && p.step === 2) abort.abort();
      },
    });
    assert.equal(stopped.cancelled, true);
    assert.equal(stopped.epochsRun, 2);
    first.dispose();

    // a new process: a freshly built model, the checkpoint file only
    const second = tinyModel();
    const continued = await trainModel(second, data, { ...OPTIONS, checkpoint: store });
    assert.deepEqual(continued.resumed?.fromEpoch, 2);
    assert.equal(continued.epochsRun, 5);
    assert.deepEqual(continued.history.map((h) => h.loss), uninterrupted.history.map((h) => h.loss));
    assert.equal(continued.bestEpoch, uninterrupted.bestEpoch);
    assert.deepEqual(weightsOf(second), weightsOf(whole));
    assert.equal(continued.stepsRun, uninterrupted.stepsRun, 'the steps of the epoch cut short are not counted: they are taken again');
    assert.deepEqual(await readdir(dir.path), ['run.ckpt'], 'no staging file left behind');
    second.dispose();
  } finally {
    whole.dispose();
    await dir.cleanup();
  }
});

test('a training stopped early resumes as finished, with the same weights', async () => {
  const data = samples(6, 2);
  const options: TrainOptions = { ...OPTIONS, epochs: 40, learningRate: 0.2, patience: 1 };
  const dir = await tempFolder();
  try {
    const store = new FileCheckpointStore(join(dir.path, 'run.ckpt'));
    const first = tinyModel();
    const finished = await trainModel(first, data, { ...options, checkpoint: store });
    assert.equal(finished.stoppedEarly, true, 'this recipe stops early');
    const again = tinyModel();
    let steps = 0;
    const resumed = await trainModel(again, data, { ...options, checkpoint: store, onProgress: () => steps++ });
    assert.equal(steps, 0, 'no step trained');
    assert.equal(resumed.stoppedEarly, true);
    assert.equal(resumed.stopReason, finished.stopReason);
    assert.equal(resumed.bestEpoch, finished.bestEpoch);
    assert.deepEqual(weightsOf(again), weightsOf(first));
    first.dispose();
    again.dispose();
  } finally {
    await dir.cleanup();
  }
});

test('a corrupt or foreign checkpoint is ignored: training starts from epoch 1', async () => {
  const dir = await tempFolder();
  try {
    const path = join(dir.path, 'run.ckpt');
    await writeFile(path, 'not a checkpoint');
    const model = tinyModel();
    const result = await trainModel(model, samples(4, 3), { ...OPTIONS, epochs: 1, checkpoint: new FileCheckpointStore(path) });
    assert.equal(result.resumed, undefined);
    assert.equal(result.epochsRun, 1);
    model.dispose();

    // a checkpoint of another network (other weight shapes) is not applied
    const input = tf.input({ shape: [16, 16, 1] });
    const other = tf.model({ inputs: input, outputs: tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(input) as tf.SymbolicTensor });
    const foreign = await trainModel(other, samples(4, 3), { ...OPTIONS, epochs: 2, checkpoint: new FileCheckpointStore(path) });
    assert.equal(foreign.resumed, undefined);
    assert.equal(foreign.epochsRun, 2);
    other.dispose();
  } finally {
    await dir.cleanup();
  }
});

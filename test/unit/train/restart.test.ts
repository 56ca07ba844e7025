import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import type { SegmentationSample } from '../../../src/engine/data/samples';
import { evaluateModel } from '../../../src/engine/train/evaluate';
import { trainModel, type TrainResult } from '../../../src/engine/train/loop';
import { collapseOf, trainWithRestarts } from '../../../src/engine/train/restart';
import { SeededRandom } from '../../../src/engine/util/random';

before(async () => {
  await tf.setBackend('cpu');
});

/** Foreground where the image is brighter than 0.8: about a fifth of the pixels. */
function sparseSamples(count: number, seed: number): SegmentationSample[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const image = Float32Array.from({ length: 16 * 16 }, () => random.next());
    return { id: `s${i}`, widthPx: 16, heightPx: 16, channels: 1, image, mask: Uint8Array.from(image, (v) => (v > 0.8 ? 1 : 0)) };
  });
}

/** A conv-ReLU-conv-sigmoid network; `dead` sets the ReLU biases so low that no unit ever fires. */
function tinyModel(seed: number, dead: boolean): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 1] });
  const hidden = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: tf.initializers.constant({ value: dead ? -100 : 0 }) })
    .apply(input) as tf.SymbolicTensor;
  const output = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

test('a network whose ReLUs are dead collapses to all background, is detected on the validation images and trained again', async () => {
  const data = sparseSamples(12, 1);
  const disposed: number[] = [];
  const built: tf.LayersModel[] = [];
  const messages: string[] = [];
  const { model, result, collapsed } = await trainWithRestarts(
    (attempt) => {
      const m = tinyModel(attempt, attempt === 1);
      const dispose = m.dispose.bind(m);
      m.dispose = () => {
        disposed.push(attempt);
        return dispose();
      };
      built.push(m);
      return m;
    },
    (m) => trainModel(m, data, { epochs: 12, batchSize: 4, learningRate: 0.05, seed: 3 }),
    { onRestart: (restart, next, attempts) => messages.push(`${restart.attempt} -> ${next} of ${attempts}`) },
  );
  assert.equal(collapsed, undefined);
  assert.equal(result.restarts.length, 1);
  assert.match(result.restarts[0]!.reason, /predicts background at 100\.00% of the pixels at epoch \d+ \(the weights kept\) on the 2 validation images/);
  assert.deepEqual(messages, ['1 -> 2 of 3']);
  assert.deepEqual(disposed, [1], 'the collapsed attempt is disposed, the kept one is not');
  assert.equal(model, built[1]);
  assert.ok(result.trainMs > result.restarts[0]!.trainMs, 'the time counts both attempts');
  const f1 = (await evaluateModel(model, sparseSamples(4, 9))).summary.f1.mean;
  assert.ok(f1 > 0.8, `the second attempt learns (F1 ${f1})`);
  model.dispose();
});

test('with no restarts left the collapsed run is returned and said to be collapsed', async () => {
  const data = sparseSamples(12, 1);
  const { model, result, collapsed } = await trainWithRestarts(
    () => tinyModel(1, true),
    (m) => trainModel(m, data, { epochs: 2, batchSize: 4, learningRate: 0.05, seed: 3 }),
    { maxRestarts: 0 },
  );
  assert.match(collapsed ?? '', /predicts background/);
  assert.equal(result.restarts.length, 0);
  model.dispose();
  await assert.rejects(trainWithRestarts(() => tinyModel(1, false), async () => { throw new Error('x'); }, { maxRestarts: -1 }), /restarts must be a whole number/);
});

test('collapse needs validation images whose masks hold both classes, and a constant prediction at the kept epoch', () => {
  const record = (predicted: number) => ({ epoch: 1, loss: 1, validationLoss: 1, validationF1: 0, validationIoU: 0, validationPredictedForeground: predicted, ms: 1 });
  const result = (predicted: number, truth: number, validationCount = 3): TrainResult => ({
    epochsRun: 1, stepsRun: 1, cancelled: false, stoppedEarly: false, bestEpoch: 1, history: [record(predicted)], trainMs: 1, trainCount: 5, validationCount, validationForeground: truth,
  });
  assert.match(collapseOf(result(0, 0.2)) ?? '', /predicts background at 100\.00%/);
  assert.match(collapseOf(result(0.9995, 0.6)) ?? '', /predicts foreground at 99\.95%/);
  assert.equal(collapseOf(result(0.01, 0.2)), undefined, 'one percent foreground is a (poor) prediction, not a constant');
  assert.equal(collapseOf(result(0, 0)), undefined, 'masks without foreground: background everywhere is right');
  assert.equal(collapseOf(result(0, 0.2, 0)), undefined, 'no validation images: nothing to judge by');
  assert.equal(collapseOf({ ...result(0, 0.2), cancelled: true }), undefined);
});

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { pruneL1 } from '../../../src/engine/baselines/l1-prune';
import { magnitudeMasks, maskTransform, sparsity } from '../../../src/engine/baselines/magnitude-prune';
import { channelCodes, exactCodes, fakeQuantTransform, quantizeModel, quantizePerChannel } from '../../../src/engine/baselines/quantize';
import { payloadBytes, storedForm } from '../../../src/engine/export/stored-form';
import { buildGraph, graphParams, type NetworkGraph } from '../../../src/engine/models/graph';
import { NETWORKS } from '../../../src/engine/models/registry';
import { trainModel } from '../../../src/engine/train/loop';
import { segmentationLossOf } from '../../../src/engine/train/loss';
import { predictProbabilityMaps } from '../../../src/engine/train/predict';
import { SeededRandom } from '../../../src/engine/util/random';

before(async () => {
  await tf.setBackend('cpu');
});

const input = { heightPx: 16, widthPx: 16, channels: 1 };

test('L1 pruning removes the filters with the smallest L1 norm, and a zero filter changes nothing', async () => {
  // conv a: 3 filters, the middle one all zeros; conv b reads a's 3 channels
  const graph: NetworkGraph = {
    nodes: [
      { op: 'input', name: 'input' },
      { op: 'conv', name: 'a', from: 'input', filters: 3, kernel: 1, activation: 'relu' },
      { op: 'conv', name: 'out', from: 'a', filters: 1, kernel: 1, activation: 'linear' },
    ],
    outputs: ['out'],
  };
  const model = buildGraph(graph, input, 1);
  model.getLayer('a').setWeights([tf.tensor4d([2, 0, -1], [1, 1, 1, 3]), tf.tensor1d([0, 0, 0])]);
  model.getLayer('out').setWeights([tf.tensor4d([1, 5, 1], [1, 1, 3, 1]), tf.tensor1d([0.5])]);
  const pruned = pruneL1(graph, model, 1 / 3, input);
  assert.deepEqual(pruned.layers, [{ name: 'a', before: 3, after: 2 }]);
  assert.deepEqual([...pruned.model.getLayer('a').getWeights()[0]!.dataSync()], [2, -1]);
  assert.deepEqual([...pruned.model.getLayer('out').getWeights()[0]!.dataSync()], [1, 1]);
  const x = tf.randomUniform([2, 16, 16, 1], -1, 1, 'float32', 3);
  assert.deepEqual(await (pruned.model.predict(x) as tf.Tensor).data(), await (model.predict(x) as tf.Tensor).data());
});

test('L1 pruning of U-Net, FCN and CUMedVision is physical: fewer parameters, the same output shape, concatenations followed', () => {
  for (const network of ['unet', 'fcn', 'cumedvision'] as const) {
    const graph = NETWORKS[network].graph(1 / 16, false);
    const shape = { heightPx: 32, widthPx: 32, channels: 1 };
    const model = buildGraph(graph, shape, 1);
    const pruned = pruneL1(graph, model, 0.5, shape);
    assert.equal(pruned.model.countParams(), graphParams(pruned.graph, 1), network);
    assert.ok(pruned.model.countParams() < model.countParams() * 0.4, `${network}: ${pruned.model.countParams()} of ${model.countParams()}`);
    assert.deepEqual(pruned.model.outputs[0]!.shape, [null, 32, 32, 1]);
    model.dispose();
    pruned.model.dispose();
  }
});

test('magnitude pruning zeroes the smallest weights and keeps them zero through retraining', async () => {
  const graph = NETWORKS.unet.graph(1 / 16, false);
  const model = buildGraph(graph, input, 2);
  const masks = magnitudeMasks(model, 0.6);
  const random = new SeededRandom(1);
  const samples = Array.from({ length: 4 }, (_, i) => {
    const image = Float32Array.from({ length: 256 }, () => random.next());
    return { id: String(i), widthPx: 16, heightPx: 16, channels: 1 as const, image, mask: Uint8Array.from(image, (v) => (v > 0.5 ? 1 : 0)) };
  });
  await trainModel(model, samples, { epochs: 2, batchSize: 2, learningRate: 0.01, seed: 1, weightTransform: maskTransform(masks) });
  const report = sparsity(model);
  assert.ok(Math.abs(report.sparsity - 0.6) < 0.01, String(report.sparsity));
  assert.equal(report.zeroWeights, masks.zeroWeights);
});

test('per-channel symmetric k-bit quantization by hand', () => {
  // channel 0: 0..3, channel 1: 10..40 (the last axis is the output channel)
  const kernel = tf.tensor4d([0, 10, 1, 20, 2, 30, 3, 40], [1, 1, 4, 2]);
  // 3 bits: 3 levels each side; channel 0 scale 1 (exact), channel 1 scale 40/3: q = round(0.75, 1.5, 2.25, 3) = 1, 2, 2, 3
  const third = Math.fround(40 / 3);
  assert.deepEqual([...quantizePerChannel(kernel, 3).dataSync()], [0, Math.fround(third), 1, Math.fround(2 * third), 2, Math.fround(2 * third), 3, 40]);
  // 2 bits: one level each side; channel 0 scale 3: q = round(0, 1/3, 2/3, 1); channel 1 scale 40: q = round(1/4, 1/2, 3/4, 1)
  assert.deepEqual([...quantizePerChannel(kernel, 2).dataSync()], [0, 0, 0, 40, 3, 40, 3, 40]);
  // a transposed convolution's output channel is axis 2
  const transposed = tf.tensor4d([0, 1, 2, 3, 10, 20, 30, 40], [1, 1, 2, 4]);
  assert.deepEqual([...channelCodes(transposed.dataSync() as Float32Array, [1, 1, 2, 4], 2, 3).codes], [0, 1, 2, 3, 1, 2, 2, 3]);
  assert.throws(() => quantizePerChannel(kernel, 1), /bits must be a whole number from 2 to 16/);
});

test('quantization is idempotent, so the exported integers are exactly the evaluated weights', () => {
  const random = new SeededRandom(4);
  const shape = [3, 3, 5, 7];
  const values = Float32Array.from({ length: 3 * 3 * 5 * 7 }, () => random.next() * 2 - 1);
  for (const bits of [2, 4, 8, 12, 16]) {
    const once = quantizePerChannel(tf.tensor(values, shape), bits).dataSync() as Float32Array;
    const twice = quantizePerChannel(tf.tensor(once, shape), bits).dataSync() as Float32Array;
    assert.deepEqual([...twice], [...once], `${bits} bits`);
    const codes = exactCodes(once, shape, 3, bits);
    assert.notEqual(typeof codes, 'string', `${bits} bits: ${String(codes)}`);
  }
  assert.match(String(exactCodes(values, shape, 3, 4)), /not a 4-bit value of its channel/);
});

test('stored form by hand: k-bit kernels with one float32 scale per output channel, float32 biases', () => {
  const graph: NetworkGraph = { nodes: [{ op: 'input', name: 'input' }, { op: 'conv', name: 'c', from: 'input', filters: 4, kernel: 3, activation: 'linear' }], outputs: ['c'] };
  // kernel 3x3x1x4 = 36 weights, 4 scales, 4 biases
  assert.equal(payloadBytes(storedForm(graph, 1, 32)), 4 * 40);
  assert.equal(payloadBytes(storedForm(graph, 1, 8)), 36 + 4 * 4 + 4 * 4);
  assert.equal(payloadBytes(storedForm(graph, 1, 4)), 18 + 4 * 4 + 4 * 4);
  assert.equal(payloadBytes(storedForm(graph, 1, 3)), 18 + 4 * 4 + 4 * 4, '3-bit values sit in 4-bit containers');
  assert.equal(payloadBytes(storedForm(graph, 1, 12)), 72 + 4 * 4 + 4 * 4);
  const model = buildGraph(graph, input);
  quantizeModel(model, 4);
  const values = model.getLayer('c').getWeights()[0]!.dataSync();
  for (let channel = 0; channel < 4; channel++) {
    const distinct = new Set(Array.from({ length: 9 }, (_, i) => values[i * 4 + channel]));
    assert.ok(distinct.size <= 15);
  }
});

test('quantization-aware training and magnitude retraining validate, and keep the best epoch of, the deployed network', async () => {
  const random = new SeededRandom(6);
  const sample = (i: number) => {
    const image = Float32Array.from({ length: 256 }, () => random.next());
    return { id: String(i), widthPx: 16, heightPx: 16, channels: 1 as const, image, mask: Uint8Array.from(image, (v) => (v > 0.5 ? 1 : 0)) };
  };
  const samples = Array.from({ length: 4 }, (_, i) => sample(i));
  const validation = [sample(10), sample(11)];
  const graph = NETWORKS.unet.graph(1 / 16, false);
  for (const kind of ['quantization', 'magnitude'] as const) {
    const model = buildGraph(graph, input, 7);
    const masks = kind === 'magnitude' ? magnitudeMasks(model, 0.8) : undefined;
    const weightTransform = masks ? maskTransform(masks) : fakeQuantTransform(model, 2);
    const result = await trainModel(model, samples, { epochs: 3, batchSize: 2, learningRate: 0.01, seed: 1, validation, augment: false, weightTransform });
    // the model ends with the deployed weights of the best epoch: its validation loss, computed
    // here from its predictions, is the one recorded for that epoch
    const maps = await predictProbabilityMaps(model, validation);
    const loss = validation.reduce((sum, s, i) => sum + segmentationLossOf(maps[i]!, s.mask, 'bce+dice'), 0) / validation.length;
    const recorded = result.history[result.bestEpoch - 1]!.validationLoss;
    assert.ok(Math.abs(loss - recorded) < 1e-6, `${kind}: deployed ${loss}, recorded ${recorded}`);
    assert.equal(result.bestEpoch, result.history.reduce((best, r) => (r.validationLoss < result.history[best - 1]!.validationLoss ? r.epoch : best), 1));
  }
});

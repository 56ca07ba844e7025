import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { saveQuantizedModel } from '../../../src/engine/baselines/export-quantized';
import { pruneL1 } from '../../../src/engine/baselines/l1-prune';
import { magnitudeMasks, maskTransform, sparsity } from '../../../src/engine/baselines/magnitude-prune';
import { quantizedSize, quantizeModel, quantizePerChannel } from '../../../src/engine/baselines/quantize';
import { buildGraph, graphParams, type NetworkGraph } from '../../../src/engine/models/graph';
import { NETWORKS } from '../../../src/engine/models/registry';
import { trainModel } from '../../../src/engine/train/loop';
import { loadModel } from '../../../src/engine/train/persist';
import { SeededRandom } from '../../../src/engine/util/random';
import { tempFolder } from '../../helpers/tmp';

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
  assert.ok(report.sparseBytes < report.denseBytes);
});

test('per-channel k-bit quantization by hand', () => {
  const kernel = tf.tensor4d([0, 10, 1, 20, 2, 30, 3, 40], [1, 1, 4, 2]); // channel 0: 0..3, channel 1: 10..40
  assert.deepEqual([...quantizePerChannel(kernel, 2).dataSync()], [0, 10, 1, 20, 2, 30, 3, 40]);
  assert.deepEqual([...quantizePerChannel(kernel, 1).dataSync()], [0, 10, 0, 10, 3, 40, 3, 40]);
});

test('quantized size: k bits per kernel weight plus per-channel min and scale', () => {
  const graph: NetworkGraph = { nodes: [{ op: 'input', name: 'input' }, { op: 'conv', name: 'c', from: 'input', filters: 4, kernel: 3, activation: 'linear' }], outputs: ['c'] };
  const model = buildGraph(graph, input);
  const size = quantizedSize(model, 8);
  // kernel 36 weights: 36 bytes + 4 channels x 8 bytes; bias 4 x 4 bytes
  assert.equal(size.quantizedBytes, 36 + 32 + 16);
  assert.equal(size.float32Bytes, 4 * 40);
  quantizeModel(model, 4);
  const values = model.getLayer('c').getWeights()[0]!.dataSync();
  for (let channel = 0; channel < 4; channel++) {
    const distinct = new Set(Array.from({ length: 9 }, (_, i) => values[i * 4 + channel]));
    assert.ok(distinct.size <= 16);
  }
});

test('a quantized export loads in stock TensorFlow.js with weights within half a step', async () => {
  const dir = await tempFolder();
  try {
    const graph = NETWORKS.unet.graph(1 / 16, false);
    const model = buildGraph(graph, input, 3);
    const saved = await saveQuantizedModel(model, dir.path, 8);
    assert.equal(saved.dtype, 'uint8');
    const loaded = await loadModel(dir.path);
    for (const [i, w] of model.weights.entries()) {
      const a = w.read().dataSync();
      const b = loaded.weights[i]!.read().dataSync();
      let min = Infinity;
      let max = -Infinity;
      for (const v of a) { min = Math.min(min, v); max = Math.max(max, v); }
      const halfStep = (max - min) / 255 / 2 + 1e-7;
      for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k]! - b[k]!) <= halfStep, `${w.name}[${k}]`);
    }
    assert.ok(saved.sizeBytes < model.countParams() * 4 * 0.5);
  } finally {
    await dir.cleanup();
  }
});

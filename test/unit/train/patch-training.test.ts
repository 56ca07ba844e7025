import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { balancedPatchPool, extractPatch, patchFraction, reflectIndex } from '../../../src/engine/data/patch-pool';
import type { SegmentationSample } from '../../../src/engine/data/samples';
import { pruneL1 } from '../../../src/engine/baselines/l1-prune';
import { buildNetwork, describeModel, NETWORKS } from '../../../src/engine/models/registry';
import { graphParams } from '../../../src/engine/models/graph';
import { evaluateModel } from '../../../src/engine/train/evaluate';
import { trainModel } from '../../../src/engine/train/loop';
import { softmaxCrossEntropy } from '../../../src/engine/train/patch-task';
import { initialiseOutputBiasToPrior } from '../../../src/engine/train/output-bias';
import { predictProbabilityMaps } from '../../../src/engine/train/predict';
import { SeededRandom } from '../../../src/engine/util/random';

before(async () => {
  await tf.setBackend('cpu');
});

/** A gray N x N image (default 24): noise, with bright cells (0.7 + noise) where the mask is 1: three discs of radius 4. */
function cells(id: string, seed: number, n = 24): SegmentationSample {
  const random = new SeededRandom(seed);
  const centres = Array.from({ length: 3 }, () => [random.integer(4, n - 5), random.integer(4, n - 5)] as const);
  const mask = new Uint8Array(n * n);
  const image = new Float32Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const inside = centres.some(([cy, cx]) => (y - cy) ** 2 + (x - cx) ** 2 <= 16);
      mask[y * n + x] = inside ? 1 : 0;
      image[y * n + x] = (inside ? 0.7 : 0.1) + 0.2 * random.next();
    }
  }
  return { id, widthPx: n, heightPx: n, channels: 1, image, mask };
}

test('the balanced pool: every cell centre of the 4-pixel grid and as many background ones; r takes a balanced share', () => {
  // a 8 x 8 mask, grid rows and columns 2 and 6: cell only at (2, 6)
  const mask = new Uint8Array(64);
  mask[2 * 8 + 6] = 1;
  const pool = balancedPatchPool([{ id: 'a', widthPx: 8, heightPx: 8, mask }], 1);
  assert.equal(pool.length, 2);
  assert.deepEqual(pool.map((p) => p.label), [1, 0]);
  assert.deepEqual([pool[0]!.y, pool[0]!.x], [2, 6]);
  assert.throws(() => balancedPatchPool([{ id: 'a', widthPx: 8, heightPx: 8, mask: new Uint8Array(64) }], 1), /no cell \(foreground\) pixel/);
  const big = balancedPatchPool([cells('a', 1), cells('b', 2)], 1);
  const cellCount = big.filter((p) => p.label === 1).length;
  assert.equal(cellCount * 2, big.length);
  const share = patchFraction(big, 0.25, 1);
  assert.equal(share.length, Math.max(1, Math.round(0.25 * big.length)));
  assert.equal(share.filter((p) => p.label === 1).length, Math.ceil(share.length / 2));
  assert.deepEqual(patchFraction(big, 0.25, 1), share, 'the same seed and r draw the same patches');
});

test('patches reflect at the borders and turn about their labelled pixel', () => {
  assert.deepEqual([-2, -1, 0, 3, 4, 5].map((i) => reflectIndex(i, 4)), [2, 1, 0, 3, 2, 1]);
  // a 3 x 3 image 0..8, a 3 x 3 patch around (0, 0): rows -1, 0, 1 -> 1, 0, 1
  const image = Float32Array.from({ length: 9 }, (_, i) => i);
  assert.deepEqual([...extractPatch(image, { widthPx: 3, heightPx: 3, channels: 1 }, 0, 0, 3, 1)], [4, 3, 4, 1, 0, 1, 4, 3, 4]);
  for (let t = 0; t < 8; t++) {
    const turned = extractPatch(image, { widthPx: 3, heightPx: 3, channels: 1 }, 1, 1, 3, 1, t);
    assert.equal(turned[4], 4, `transform ${t} keeps the labelled pixel`);
    assert.deepEqual([...turned].sort(), [...image].sort(), `transform ${t} permutes the patch`);
  }
});

test('the softmax cross-entropy is -mean(ln p of the label)', () => {
  const p = tf.tensor4d([0.9, 0.1, 0.25, 0.75], [2, 1, 1, 2]);
  const y = tf.tensor2d([1, 0, 0, 1], [2, 2]);
  assert.ok(Math.abs(softmaxCrossEntropy(p, y).dataSync()[0]! - -(Math.log(0.9) + Math.log(0.75)) / 2) < 1e-6);
});

test('a DCNN trains on patches through the training loop and segments held-out images densely', async () => {
  const train = [1, 2, 3, 4, 5, 6].map((seed) => cells(`c${seed}`, seed));
  const test = [cells('t', 9)];
  const patchPx = NETWORKS.dcnn.patchPx!;
  const graph = NETWORKS.dcnn.graph(1 / 16, false);
  const model = buildNetwork('dcnn', { alpha: 1 / 16, inputHeightPx: patchPx, inputWidthPx: patchPx, inputChannels: 1, seed: 1 });
  initialiseOutputBiasToPrior(model, graph, 0.5);
  assert.deepEqual([...model.getLayer('fc2').getWeights()[1]!.dataSync()], [0, 0]);
  const result = await trainModel(model, train, { epochs: 4, batchSize: 8, learningRate: 0.002, seed: 1, patchFraction: 0.75 });
  const pool = balancedPatchPool(train, 1).length;
  assert.deepEqual(result.patchNetwork, { patchPx, poolPatches: pool, drawnPatches: Math.round(0.75 * pool) });
  assert.equal(result.trainCount + result.validationCount, Math.round(0.75 * pool));
  assert.equal(result.validationCount, Math.round(0.2 * Math.round(0.75 * pool)));
  assert.ok(result.history.every((h) => Number.isFinite(h.loss) && Number.isFinite(h.validationLoss)));
  assert.ok(result.history.at(-1)!.loss < result.history[0]!.loss, `the loss falls: ${result.history.map((h) => h.loss.toFixed(3)).join(', ')}`);
  const evaluation = await evaluateModel(model, test);
  // a tiny network (2, 3 and 5 filters) after 4 short epochs: better than calling every pixel a cell, not good
  const share = test[0]!.mask.reduce((sum, v) => sum + v, 0) / test[0]!.mask.length;
  const everyPixelCell = (2 * share) / (share + 1);
  assert.ok(evaluation.summary.f1.mean > Math.max(0.5, everyPixelCell + 0.1), `held-out F1 ${evaluation.summary.f1.mean} (every pixel a cell: ${everyPixelCell})`);
  model.dispose();
});

test('L1 pruning of the patch networks keeps the two classes, and removing zero filters changes no prediction', async () => {
  for (const network of ['dcnn', 'dccn'] as const) {
    const patchPx = NETWORKS[network].patchPx!;
    const graph = NETWORKS[network].graph(1 / 4, false);
    const model = buildNetwork(network, { alpha: 1 / 4, inputHeightPx: patchPx, inputWidthPx: patchPx, inputChannels: 3, seed: 2 });
    // zero the second half of every prunable layer's filters (kernel and bias): their ReLU outputs are 0
    for (const layer of model.layers) {
      if (layer.getClassName() !== 'Conv2D' || layer.name === 'fc2') continue;
      const [kernel, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D];
      const filters = bias.shape[0];
      const keep = tf.concat([tf.ones([Math.ceil(filters / 2)]), tf.zeros([Math.floor(filters / 2)])]);
      layer.setWeights([tf.mul(kernel, keep), tf.mul(tf.randomUniform([filters], 0.01, 0.1, 'float32', 4), keep)]);
    }
    const input = { heightPx: patchPx, widthPx: patchPx, channels: 3 };
    const pruned = pruneL1(graph, model, 0.5, input, 1);
    assert.ok(pruned.layers.every((l) => l.after === Math.ceil(l.before / 2)), network);
    assert.ok(!pruned.layers.some((l) => l.name === 'fc2'), `${network}: the output layer is kept whole`);
    assert.equal(pruned.model.countParams(), graphParams(pruned.graph, 3));
    assert.ok(pruned.model.countParams() < describeModel({ network, squeeze: false }, 1 / 4, input).params / 3);
    const random = new SeededRandom(5);
    const sample: SegmentationSample = { id: 'x', widthPx: 6, heightPx: 5, channels: 3, image: Float32Array.from({ length: 90 }, () => random.next()), mask: new Uint8Array(30) };
    const [before] = await predictProbabilityMaps(model, [sample]);
    const [after] = await predictProbabilityMaps(pruned.model, [sample]);
    for (let i = 0; i < 30; i++) assert.ok(Math.abs(before![i]! - after![i]!) < 1e-5, `${network} pixel ${i}: ${before![i]} vs ${after![i]}`);
    model.dispose();
    pruned.model.dispose();
  }
});

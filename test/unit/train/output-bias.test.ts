import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { outputLogitLayers } from '../../../src/engine/models/graph';
import { buildNetwork, NETWORK_IDS, NETWORKS } from '../../../src/engine/models/registry';
import { foregroundFraction, initialiseOutputBiasToPrior, priorLogit, PRIOR_CLAMP } from '../../../src/engine/train/output-bias';

before(async () => {
  await tf.setBackend('cpu');
});

test('the logit layers of each network: the layers whose summed outputs feed the main sigmoid', () => {
  assert.deepEqual(outputLogitLayers(NETWORKS.unet.graph(1 / 16, false)), ['output']);
  assert.deepEqual(outputLogitLayers(NETWORKS.fcn.graph(1 / 16, false)), ['upscore8']);
  assert.deepEqual(outputLogitLayers(NETWORKS.cumedvision.graph(1 / 16, false)), ['aux1_up', 'aux2_up', 'aux3_up']);
  assert.deepEqual(outputLogitLayers(NETWORKS.unet.graph(1 / 16, true)), ['output']);
  assert.deepEqual(outputLogitLayers(NETWORKS.dcnn.graph(1 / 16, false)), ['fc2']);
  assert.deepEqual(outputLogitLayers(NETWORKS.dccn.graph(1 / 16, false)), ['fc2']);
});

test('the foreground fraction is pixel-weighted over all masks, and its logit is ln(pi / (1 - pi))', () => {
  // 1 of 4 pixels and 3 of 12 pixels: 4 of 16
  const fraction = foregroundFraction([{ mask: Uint8Array.from([1, 0, 0, 0]) }, { mask: Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }]);
  assert.equal(fraction, 0.25);
  assert.ok(Math.abs(priorLogit(0.25) - Math.log(1 / 3)) < 1e-12);
  assert.equal(priorLogit(0.5), 0);
  // empty and full masks are clamped, so the logit stays finite
  assert.ok(Math.abs(priorLogit(0) - Math.log(PRIOR_CLAMP / (1 - PRIOR_CLAMP))) < 1e-12);
  assert.ok(Math.abs(priorLogit(1) + Math.log(PRIOR_CLAMP / (1 - PRIOR_CLAMP))) < 1e-12);
  assert.throws(() => foregroundFraction([]), /no mask pixels/);
});

test('after the prior initialisation a network whose kernels are zero predicts the foreground fraction everywhere', () => {
  for (const network of NETWORK_IDS) {
    const side = NETWORKS[network].patchPx ?? NETWORKS[network].requiredInputMultiple;
    const model = buildNetwork(network, { alpha: 1 / 32, inputHeightPx: side, inputWidthPx: side, inputChannels: 1, seed: 3 });
    // zero every kernel and bias, so the logit is exactly the sum of the logit layers' biases
    model.setWeights(model.getWeights().map((w) => tf.zerosLike(w)));
    initialiseOutputBiasToPrior(model, NETWORKS[network].graph(1 / 32, false), 0.2);
    const outputs = model.predict(tf.randomNormal([1, side, side, 1], 0, 1, 'float32', 5)) as tf.Tensor | tf.Tensor[];
    const main = (Array.isArray(outputs) ? outputs[0]! : outputs).dataSync();
    // the patch networks' softmax: (background, cell) = (0.8, 0.2)
    const expected = NETWORKS[network].patchPx ? [0.8, 0.2] : [0.2];
    main.forEach((p, i) => assert.ok(Math.abs(p - expected[i % expected.length]!) < 1e-6, `${network}: ${p}`));
    tf.dispose(outputs);
    model.dispose();
  }
});

test('ReLU convolutions start from He-normal kernels (std sqrt(2 / fan_in)), the output from Glorot-uniform', () => {
  const model = buildNetwork('unet', { alpha: 1 / 2, inputHeightPx: 16, inputWidthPx: 16, inputChannels: 1, seed: 1 });
  // enc2_conv2: 3x3 kernels from 64 channels (alpha 1/2 of 128), fan_in = 9 * 64
  const kernel = model.getLayer('enc2_conv2').getWeights()[0]!;
  const values = Array.from(kernel.dataSync());
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  // tf's heNormal is a normal truncated at 2 std, whose std is about 0.88 of the untruncated one
  const expected = Math.sqrt(2 / (9 * 64)) * 0.88;
  assert.ok(Math.abs(std - expected) / expected < 0.05, `std ${std}, expected about ${expected}`);
  // Glorot uniform on the 1x1 output (fan_in 32, fan_out 1): bound sqrt(6 / 33)
  const out = Array.from(model.getLayer('output').getWeights()[0]!.dataSync());
  const bound = Math.sqrt(6 / 33);
  assert.ok(out.every((v) => Math.abs(v) <= bound + 1e-7));
  model.dispose();
});

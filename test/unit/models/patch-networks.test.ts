import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { buildNetwork, describeModel, NETWORKS, parseNetworkId } from '../../../src/engine/models/registry';
import { DCNN_TABLE_2_PARAMS } from '../../../src/engine/models/dcnn';
import { DCCN_TABLE_2_TOTAL_PARAMS } from '../../../src/engine/models/dccn';
import { predictDenseMaps } from '../../../src/engine/train/dense-predict';
import { predictProbabilityMaps } from '../../../src/engine/train/predict';
import { SeededRandom } from '../../../src/engine/util/random';
import type { SegmentationSample } from '../../../src/engine/data/samples';

before(async () => {
  await tf.setBackend('cpu');
});

const RGB = (patchPx: number) => ({ heightPx: patchPx, widthPx: patchPx, channels: 3 });

test("DCNN's per-layer parameters are the study's Table 2 (FC1: 738,304 for the table's 738,104)", () => {
  const { layers, params, patchPx } = describeModel(parseNetworkId('dcnn'), 1, RGB(55));
  assert.equal(patchPx, 55);
  // by hand: k*k*cin*cout + cout
  const byHand = [4 * 4 * 3 * 25 + 25, 5 * 5 * 25 * 50 + 50, 6 * 6 * 50 * 80 + 80, 3 * 3 * 80 * 1024 + 1024, 1024 * 2 + 2];
  assert.deepEqual(byHand, [1225, 31300, 144080, 738304, 2050]);
  assert.deepEqual(layers.map((l) => l.params), byHand);
  assert.deepEqual(layers.map((l) => l.output), ['52x52x25', '22x22x50', '6x6x80', '1x1x1024', '1x1x2']);
  // the table agrees everywhere but FC1, whose printed 738,104 is no 1024-unit layer's count
  DCNN_TABLE_2_PARAMS.forEach((value, i) => (i === 3 ? assert.notEqual(value, byHand[i]) : assert.equal(value, byHand[i])));
  assert.notEqual(DCNN_TABLE_2_PARAMS[3]! % 1024, 0);
  assert.equal(params, 1225 + 31300 + 144080 + 738304 + 2050);
});

test("DCCN's closed-form total is the study's Table 2 total, 4,794,754", () => {
  const { params, patchPx, layers } = describeModel(parseNetworkId('dccn'), 1, RGB(62));
  assert.equal(patchPx, 62);
  assert.equal(params, DCCN_TABLE_2_TOTAL_PARAMS);
  assert.equal(params, 4794754);
  // by hand: stem 3x3x3x32, block 1 = sum over l of 3x3x(32 + 24(l-1))x24 + 24, ...
  const block = (cin: number) => Array.from({ length: 8 }, (_, l) => 9 * (cin + 24 * l) * 24 + 24).reduce((a, b) => a + b, 0);
  assert.equal(block(32), 200640);
  assert.equal(block(224), 532416);
  assert.deepEqual(layers.filter((l) => !l.name.includes('block')).map((l) => l.params), [896, 224 * 224 + 224, 416 * 416 + 416, 9 * 416 * 1024 + 1024, 2050]);
});

test('the closed-form counts equal the built models, at every alpha', () => {
  for (const network of ['dcnn', 'dccn'] as const) {
    for (const alpha of [1, 0.5, 0.125, 0.3]) {
      const patchPx = NETWORKS[network].patchPx!;
      const model = buildNetwork(network, { alpha, inputHeightPx: patchPx, inputWidthPx: patchPx, inputChannels: 3 });
      assert.equal(model.countParams(), describeModel({ network, squeeze: false }, alpha, RGB(patchPx)).params, `${network} ${alpha}`);
      assert.deepEqual(model.outputs[0]!.shape, [null, 1, 1, 2]);
      model.dispose();
    }
  }
});

test('closed-form FLOPs and activation memory equal the built model, layer by layer', () => {
  for (const network of ['dcnn', 'dccn'] as const) {
    const patchPx = NETWORKS[network].patchPx!;
    const model = buildNetwork(network, { alpha: 0.25, inputHeightPx: patchPx, inputWidthPx: patchPx, inputChannels: 1, seed: 1 });
    let macs = 0;
    for (const layer of model.layers) {
      if (layer.getClassName() !== 'Conv2D') continue;
      const [kh, kw, cin, cout] = layer.getWeights()[0]!.shape;
      const out = (layer.output as tf.SymbolicTensor).shape;
      macs += out[1]! * out[2]! * kh! * kw! * cin! * cout!;
    }
    const description = describeModel({ network, squeeze: false }, 0.25, { heightPx: patchPx, widthPx: patchPx, channels: 1 });
    assert.equal(description.flops, 2 * macs, network);
    const everyLayer = tf.model({ inputs: model.inputs, outputs: model.layers.slice(1).map((l) => l.output as tf.SymbolicTensor) });
    const input = tf.zeros([1, patchPx, patchPx, 1]);
    const outputs = everyLayer.predict(input) as tf.Tensor[];
    assert.equal(Math.round(description.activationMB * 1e6), (input.size + outputs.reduce((sum, t) => sum + t.size, 0)) * 4, network);
    tf.dispose([input, ...outputs]);
    model.dispose();
  }
});

function randomSample(id: string, widthPx: number, heightPx: number, seed: number): SegmentationSample {
  const random = new SeededRandom(seed);
  return { id, widthPx, heightPx, channels: 3, image: Float32Array.from({ length: widthPx * heightPx * 3 }, () => random.next()), mask: new Uint8Array(widthPx * heightPx) };
}

/** The reference: the image standardised per channel, reflected at its edges, the patch around (y, x) through the patch network. */
function patchReference(model: tf.LayersModel, sample: SegmentationSample, y: number, x: number, patchPx: number): number {
  const { widthPx: w, heightPx: h } = sample;
  const mean = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let p = 0; p < w * h; p++) for (let c = 0; c < 3; c++) { mean[c]! += sample.image[p * 3 + c]! / (w * h); sq[c]! += sample.image[p * 3 + c]! ** 2 / (w * h); }
  const std = mean.map((m, c) => Math.max(Math.sqrt(sq[c]! - m * m), 1 / 255));
  const reflect = (i: number, n: number) => { while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i; return i; };
  const offset = Math.floor((patchPx - 1) / 2);
  const patch = new Float32Array(patchPx * patchPx * 3);
  for (let py = 0; py < patchPx; py++) {
    for (let px = 0; px < patchPx; px++) {
      const from = reflect(y + py - offset, h) * w + reflect(x + px - offset, w);
      for (let c = 0; c < 3; c++) patch[(py * patchPx + px) * 3 + c] = (sample.image[from * 3 + c]! - mean[c]!) / std[c]!;
    }
  }
  return tf.tidy(() => (model.predict(tf.tensor4d(patch, [1, patchPx, patchPx, 3])) as tf.Tensor).dataSync()[1]!);
}

test("dense prediction equals the patch network's own output on the patch around each pixel", async () => {
  for (const network of ['dcnn', 'dccn'] as const) {
    const patchPx = NETWORKS[network].patchPx!;
    const model = buildNetwork(network, { alpha: 0.125, inputHeightPx: patchPx, inputWidthPx: patchPx, inputChannels: 3, seed: 3 });
    // biases away from 0 so that the ReLUs and the softmax are not trivial
    for (const layer of model.layers) {
      const weights = layer.getWeights();
      if (weights.length === 2) layer.setWeights([weights[0]!, tf.randomUniform(weights[1]!.shape, -0.1, 0.1, 'float32', 5)]);
    }
    const sample = randomSample('a', 11, 9, 7);
    const [tiled] = await predictDenseMaps(model, [sample], { tilePx: 6 });
    const [whole] = await predictProbabilityMaps(model, [sample]);
    const pixels: [number, number][] = [[0, 0], [0, 10], [8, 0], [8, 10], [4, 5], [2, 7]];
    let spread = 0;
    for (const [y, x] of pixels) {
      const reference = patchReference(model, sample, y, x, patchPx);
      assert.ok(Math.abs(tiled![y * 11 + x]! - reference) < 1e-5, `${network} at (${y}, ${x}): ${tiled![y * 11 + x]} vs ${reference}`);
      spread = Math.max(spread, Math.abs(reference - patchReference(model, sample, 4, 5, patchPx)));
    }
    assert.ok(spread > 1e-4, `${network}: the probabilities differ between pixels (${spread})`);
    assert.deepEqual(Array.from(whole!), Array.from(tiled!), `${network}: tiles change no value`);
    model.dispose();
  }
});

test('bad input to the patch networks is a clear error', () => {
  assert.throws(() => describeModel(parseNetworkId('dcnn'), 1, RGB(32)), /DCNN takes 55x55 patches/);
  assert.throws(() => buildNetwork('dccn', { alpha: 1, inputHeightPx: 64, inputWidthPx: 64, inputChannels: 3 }), /DCCN takes 62x62 patches/);
  assert.throws(() => parseNetworkId('squeezed-dcnn'), /no squeezed variant/);
});

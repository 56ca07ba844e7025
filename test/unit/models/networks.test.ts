import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { buildNetwork, describeModel, NETWORKS, parseNetworkId, SEGMENTATION_NETWORK_IDS, type NetworkId } from '../../../src/engine/models/registry';

// the segmentation networks; the patch networks (dcnn, dccn) have their own tests (patch-networks.test.ts)
const NETWORK_IDS = SEGMENTATION_NETWORK_IDS;

before(async () => {
  await tf.setBackend('cpu');
});

const TABLE_2_LOG10_PARAMS: Partial<Record<NetworkId, number>> = { unet: 7.492, fcn: 7.552, cumedvision: 6.887 };

test("at alpha 1 the parameter counts match the paper's Table 2 within 0.01 (one input channel)", () => {
  for (const network of NETWORK_IDS) {
    const { log10Params } = describeModel({ network, squeeze: false }, 1, { heightPx: 256, widthPx: 256, channels: 1 });
    assert.ok(Math.abs(log10Params - TABLE_2_LOG10_PARAMS[network]!) < 0.01, `${network}: ${log10Params}`);
  }
});

test('the closed-form parameter count equals the built model for every network, alpha, channel count and squeeze', () => {
  for (const network of NETWORK_IDS) {
    for (const squeeze of [false, true]) {
      for (const alpha of [1, 0.5, 0.25, 0.125, 0.3]) {
        for (const channels of [1, 3] as const) {
          if (alpha === 1 && (squeeze || channels === 3)) continue; // alpha 1 once is enough (slow to build)
          const multiple = NETWORKS[network].requiredInputMultiple;
          const model = buildNetwork(network, { alpha, inputHeightPx: multiple, inputWidthPx: multiple, inputChannels: channels, squeeze });
          const expected = describeModel({ network, squeeze }, alpha, { heightPx: multiple, widthPx: multiple, channels }).params;
          assert.equal(model.countParams(), expected, `${network} alpha ${alpha} channels ${channels} squeeze ${squeeze}`);
          model.dispose();
        }
      }
    }
  }
});

/** FLOPs by walking the built model's layers: kernel shapes and output shapes. */
function flopsFromLayers(model: tf.LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Conv2DTranspose') continue;
    const [kh, kw, a, b] = layer.getWeights()[0]!.shape;
    const input = (layer.input as tf.SymbolicTensor).shape;
    const output = (layer.output as tf.SymbolicTensor).shape;
    const positions = cls === 'Conv2D' ? output[1]! * output[2]! : input[1]! * input[2]!;
    macs += positions * kh! * kw! * a! * b!;
  }
  return 2 * macs;
}

test('closed-form FLOPs equal a per-layer count of the built model', () => {
  for (const network of NETWORK_IDS) {
    for (const squeeze of [false, true]) {
      const model = buildNetwork(network, { alpha: 0.125, inputHeightPx: 64, inputWidthPx: 32, inputChannels: 3, squeeze });
      const { flops } = describeModel({ network, squeeze }, 0.125, { heightPx: 64, widthPx: 32, channels: 3 });
      assert.equal(flops, flopsFromLayers(model), network);
      model.dispose();
    }
  }
});

test('closed-form activation memory equals the outputs of a measured forward pass', () => {
  for (const network of NETWORK_IDS) {
    const model = buildNetwork(network, { alpha: 0.125, inputHeightPx: 32, inputWidthPx: 64, inputChannels: 1, seed: 1 });
    // a model that returns every layer's output
    const everyLayer = tf.model({ inputs: model.inputs, outputs: model.layers.slice(1).map((l) => l.output as tf.SymbolicTensor) });
    const input = tf.zeros([2, 32, 64, 1]);
    const outputs = everyLayer.predict(input) as tf.Tensor[];
    const measuredBytes = (input.size + outputs.reduce((sum, t) => sum + t.size, 0)) * 4;
    const { activationMB } = describeModel({ network, squeeze: false }, 0.125, { heightPx: 32, widthPx: 64, channels: 1 });
    assert.ok(Math.abs(activationMB * 1e6 * 2 - measuredBytes) < 1e-3, `${network}: ${activationMB * 2e6} vs ${measuredBytes}`);
    tf.dispose([input, ...outputs]);
    model.dispose();
  }
});

test('outputs have the input size; CUMedVision has three auxiliary outputs', () => {
  for (const network of NETWORK_IDS) {
    const model = buildNetwork(network, { alpha: 0.125, inputHeightPx: 32, inputWidthPx: 64, inputChannels: 3 });
    const outputs = model.outputs.map((o) => o.shape);
    assert.deepEqual(outputs[0], [null, 32, 64, 1], network);
    assert.equal(outputs.length, 1 + NETWORKS[network].auxiliaryLossWeights.length);
    model.dispose();
  }
});

test('layer names are stable and meaningful', () => {
  const model = buildNetwork('unet', { alpha: 0.125, inputHeightPx: 16, inputWidthPx: 16, inputChannels: 1 });
  const names = model.layers.map((l) => l.name);
  for (const name of ['enc1_conv1', 'enc5_conv2', 'dec1_up', 'dec1_concat', 'dec4_conv2', 'output']) assert.ok(names.includes(name), name);
  model.dispose();
});

test('filters = max(1, round(base * alpha)): a tiny alpha keeps one filter', () => {
  const tiny = describeModel({ network: 'unet', squeeze: false }, 0.001, { heightPx: 16, widthPx: 16, channels: 1 });
  // by hand: 10 encoder 3x3 convs 1->1 (10 each) = 100; 4 up-convs 2x2 1->1 (5 each) = 20;
  // 4 decoder levels of a 3x3 conv 2->1 (19) and a 3x3 conv 1->1 (10) = 116; output 1x1 = 2
  assert.equal(tiny.params, 238);
});

test('bad input is a clear error', () => {
  assert.throws(() => buildNetwork('unet', { alpha: 0.5, inputHeightPx: 100, inputWidthPx: 100, inputChannels: 1 }), /multiples of 16 .* size 96/);
  assert.throws(() => buildNetwork('fcn', { alpha: 0.5, inputHeightPx: 16, inputWidthPx: 16, inputChannels: 1 }), /multiples of 32/);
  assert.throws(() => buildNetwork('unet', { alpha: 0, inputHeightPx: 16, inputWidthPx: 16, inputChannels: 1 }), /alpha .* must be above 0/);
  assert.throws(() => parseNetworkId('unet3'), /unknown network 'unet3'; choose one of unet, fcn, cumedvision, dcnn, dccn, squeezed-unet/);
  assert.deepEqual(parseNetworkId('squeezed-fcn'), { network: 'fcn', squeeze: true });
});

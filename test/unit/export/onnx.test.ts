// ONNX exports checked by ONNX Runtime (onnxruntime-node), not by our own reader: its output must
// match the kernel's (TensorFlow.js) prediction within 1e-4, and the file's bytes on disk must be
// the size the stored form reports.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '../../../src/engine/tf';
import * as ort from 'onnxruntime-node';
import { pruneL1 } from '../../../src/engine/baselines/l1-prune';
import { magnitudeMasks, maskTransform } from '../../../src/engine/baselines/magnitude-prune';
import { quantizeModel } from '../../../src/engine/baselines/quantize';
import { exportModel } from '../../../src/engine/export/export-model';
import { onnxFileBytes } from '../../../src/engine/export/onnx-export';
import { onnxType } from '../../../src/engine/export/onnx-proto';
import { storedForm } from '../../../src/engine/export/stored-form';
import { buildGraph, type NetworkGraph, type Shape } from '../../../src/engine/models/graph';
import { NETWORKS, type NetworkId } from '../../../src/engine/models/registry';
import { applyWeightTransform } from '../../../src/engine/train/loop';
import { tempFolder } from '../../helpers/tmp';

before(async () => {
  await tf.setBackend('cpu');
});

/** A network with random kernels (seeded) and random biases, so that every bias is checked too. */
function network(id: NetworkId, input: Shape, seed = 1) {
  const graph = NETWORKS[id].graph(1 / 16, false);
  const model = buildGraph(graph, input, seed);
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 2) layer.setWeights([weights[0]!, tf.randomNormal(weights[1]!.shape, 0, 0.1, 'float32', seed + 7)]);
  }
  return { graph, model };
}

interface Checked {
  maxDifference: number;
  fileBytes: number;
  reportedBytes: number;
  initializerTypes: Set<number>;
  ops: Set<string>;
}

/** Exports to ONNX, runs ONNX Runtime on NCHW input, compares with the model's NHWC prediction. */
async function checkOnnx(model: tf.LayersModel, graph: NetworkGraph, input: Shape, bits: number, sparsity = 0): Promise<Checked> {
  const dir = await tempFolder();
  try {
    const form = storedForm(graph, input.channels, bits, sparsity);
    const exported = await exportModel(model, graph, input, form, dir.path, 'onnx');
    const bytes = await readFile(join(dir.path, 'model.onnx'));
    const x = tf.randomNormal([2, input.heightPx, input.widthPx, input.channels], 0, 1, 'float32', 11);
    const out = model.predict(x) as tf.Tensor | tf.Tensor[];
    const expected = (Array.isArray(out) ? out[0]! : out).dataSync();
    const session = await ort.InferenceSession.create(bytes);
    const nchw = tf.transpose(x, [0, 3, 1, 2]).dataSync() as Float32Array;
    const result = await session.run({ input: new ort.Tensor('float32', nchw, [2, input.channels, input.heightPx, input.widthPx]) });
    const got = result.output!.data as Float32Array;
    assert.deepEqual(result.output!.dims, [2, 1, input.heightPx, input.widthPx]);
    let maxDifference = 0;
    for (let i = 0; i < got.length; i++) maxDifference = Math.max(maxDifference, Math.abs(got[i]! - expected[i]!));
    await session.release();
    const decoded = onnxType('ModelProto').toObject(onnxType('ModelProto').decode(bytes)) as { graph: { initializer: { data_type: number }[]; node: { op_type: string }[] } };
    assert.equal(exported.modelBytes, bytes.length);
    return {
      maxDifference,
      fileBytes: bytes.length,
      reportedBytes: onnxFileBytes(graph, input, form),
      initializerTypes: new Set(decoded.graph.initializer.map((t) => t.data_type)),
      ops: new Set(decoded.graph.node.map((n) => n.op_type)),
    };
  } finally {
    await dir.cleanup();
  }
}

const unetInput = { heightPx: 16, widthPx: 16, channels: 1 };
const FLOAT = 1;
const INT8 = 3;
const INT4 = 22;

test('ONNX Runtime reproduces a float U-Net within 1e-4, and model.onnx has the reported bytes', async () => {
  const { graph, model } = network('unet', unetInput);
  const checked = await checkOnnx(model, graph, unetInput, 32);
  assert.ok(checked.maxDifference <= 1e-4, String(checked.maxDifference));
  assert.equal(checked.fileBytes, checked.reportedBytes);
  assert.deepEqual([...checked.initializerTypes], [FLOAT]);
  assert.ok(!checked.ops.has('DequantizeLinear'));
});

test('ONNX Runtime reproduces 8-bit and 4-bit U-Nets (int8 / int4 kernels, DequantizeLinear per channel) within 1e-4', async () => {
  for (const [bits, type] of [[8, INT8], [4, INT4]] as const) {
    const { graph, model } = network('unet', unetInput, 2);
    quantizeModel(model, bits);
    const checked = await checkOnnx(model, graph, unetInput, bits);
    assert.ok(checked.maxDifference <= 1e-4, `${bits} bits: ${checked.maxDifference}`);
    assert.equal(checked.fileBytes, checked.reportedBytes, `${bits} bits`);
    assert.deepEqual([...checked.initializerTypes].sort(), [FLOAT, type].sort(), `${bits} bits: integer kernels, float32 scales and biases`);
    assert.ok(checked.ops.has('DequantizeLinear'));
  }
});

test('ONNX Runtime reproduces L1-pruned and magnitude-pruned U-Nets within 1e-4', async () => {
  const { graph, model } = network('unet', unetInput, 3);
  const pruned = pruneL1(graph, model, 0.5, unetInput, 3);
  const l1 = await checkOnnx(pruned.model, pruned.graph, unetInput, 32);
  assert.ok(l1.maxDifference <= 1e-4, String(l1.maxDifference));
  assert.equal(l1.fileBytes, l1.reportedBytes);
  const masks = magnitudeMasks(model, 0.7);
  applyWeightTransform(model, maskTransform(masks));
  const magnitude = await checkOnnx(model, graph, unetInput, 32, 0.7);
  assert.ok(magnitude.maxDifference <= 1e-4, String(magnitude.maxDifference));
  assert.equal(magnitude.fileBytes, magnitude.reportedBytes, 'zeros are stored densely');
});

test('ONNX Runtime reproduces FCN-8s and CUMedVision (transposed convolutions, Add / Sum, deep supervision) float and 8-bit', async () => {
  for (const [id, size] of [['fcn', 32], ['cumedvision', 16]] as const) {
    const input = { heightPx: size, widthPx: size, channels: 3 };
    for (const bits of [32, 8]) {
      const { graph, model } = network(id, input, 4);
      if (bits < 32) quantizeModel(model, bits);
      const checked = await checkOnnx(model, graph, input, bits);
      assert.ok(checked.maxDifference <= 1e-4, `${id} ${bits} bits: ${checked.maxDifference}`);
      assert.equal(checked.fileBytes, checked.reportedBytes, `${id} ${bits} bits`);
    }
  }
});

test('an ONNX export of a network that was not quantized at the stored bits is refused', async () => {
  const { graph, model } = network('unet', unetInput, 5);
  await assert.rejects(checkOnnx(model, graph, unetInput, 8), /the kernel of enc1_conv1 is not 8-bit/);
});

// Opening exports again: the graph read back from a TensorFlow.js model is the one it was built
// from, and a model rebuilt from model.onnx predicts what the exported model predicted.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import { pruneL1 } from '../../../src/engine/baselines/l1-prune';
import { quantizeModel } from '../../../src/engine/baselines/quantize';
import { layerWeightsOf } from '../../../src/engine/export/export-model';
import { encodeOnnx } from '../../../src/engine/export/onnx-export';
import { importOnnx } from '../../../src/engine/export/onnx-import';
import { storedForm } from '../../../src/engine/export/stored-form';
import { buildGraph } from '../../../src/engine/models/graph';
import { graphFromModel } from '../../../src/engine/models/graph-from-model';
import { NETWORKS } from '../../../src/engine/models/registry';

before(async () => {
  await tf.setBackend('cpu');
});

test('the graph read back from a built model is the graph it was built from (every network, squeezed, L1-pruned)', () => {
  const input = { heightPx: 32, widthPx: 32, channels: 1 };
  for (const id of ['unet', 'fcn', 'cumedvision'] as const) {
    for (const squeeze of [false, true]) {
      const graph = NETWORKS[id].graph(1 / 16, squeeze);
      const model = buildGraph(graph, input, 1);
      assert.deepEqual(graphFromModel(model), graph, `${id}${squeeze ? ' squeezed' : ''}`);
      if (!squeeze) {
        const pruned = pruneL1(graph, model, 0.5, input, 1);
        assert.deepEqual(graphFromModel(pruned.model), pruned.graph, `${id} pruned`);
        pruned.model.dispose();
      }
      model.dispose();
    }
  }
});

test('a network rebuilt from its model.onnx predicts exactly what the exported one did (float, 8 and 4 bits)', () => {
  for (const [id, size] of [['unet', 16], ['fcn', 32], ['cumedvision', 16]] as const) {
    const input = { heightPx: size, widthPx: size, channels: 3 };
    for (const bits of [32, 8, 4]) {
      const graph = NETWORKS[id].graph(1 / 16, false);
      const model = buildGraph(graph, input, 2);
      if (bits < 32) quantizeModel(model, bits);
      const imported = importOnnx(encodeOnnx(graph, input, storedForm(graph, 3, bits), layerWeightsOf(model)));
      assert.deepEqual(imported.input, input);
      assert.deepEqual(imported.graph.outputs, ['output']);
      const rebuilt = buildGraph(imported.graph, imported.input, 3);
      for (const [layer, weights] of imported.weights) {
        const [kernel, bias] = model.getLayer(layer).getWeights();
        assert.deepEqual([...weights.kernel], [...kernel!.dataSync()], `${id} ${bits} bits: kernel of ${layer}`);
        assert.deepEqual([...weights.bias], [...bias!.dataSync()], `${id} ${bits} bits: bias of ${layer}`);
        rebuilt.getLayer(layer).setWeights([tf.tensor(weights.kernel, kernel!.shape), tf.tensor(weights.bias, bias!.shape)]);
      }
      const x = tf.randomNormal([1, size, size, 3], 0, 1, 'float32', 5);
      const main = (out: tf.Tensor | tf.Tensor[]) => (Array.isArray(out) ? out[0]! : out).dataSync();
      assert.deepEqual([...main(rebuilt.predict(x) as tf.Tensor)], [...main(model.predict(x) as tf.Tensor)], `${id} ${bits} bits`);
      model.dispose();
      rebuilt.dispose();
    }
  }
});

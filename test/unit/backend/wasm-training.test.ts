// Training on wasm: the loss follows the cpu run's, and nothing leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../../src/engine/backend/wasm-kernels';
import { SeededRandom } from '../../../src/engine/util/random';

registerWasmTrainingKernels();

/** A small U-Net-like model with every layer kind the three networks use. */
function smallNetwork(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 1] });
  const conv = (t: tf.SymbolicTensor, filters: number, name: string) =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name, kernelInitializer: tf.initializers.glorotUniform({ seed: filters + name.length }) }).apply(t) as tf.SymbolicTensor;
  const e1 = conv(input, 4, 'e1');
  const p1 = tf.layers.maxPooling2d({ poolSize: 2 }).apply(e1) as tf.SymbolicTensor;
  const e2 = conv(p1, 8, 'e2');
  const strided = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', name: 's2', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(e2) as tf.SymbolicTensor;
  const back = tf.layers.conv2dTranspose({ filters: 8, kernelSize: 4, strides: 2, padding: 'same', name: 't4', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }).apply(strided) as tf.SymbolicTensor;
  const merged = tf.layers.add().apply([e2, back]) as tf.SymbolicTensor;
  const up = tf.layers.conv2dTranspose({ filters: 4, kernelSize: 2, strides: 2, padding: 'same', name: 'up', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }).apply(merged) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate().apply([e1, up]) as tf.SymbolicTensor;
  const out = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }).apply(conv(cat, 4, 'd1')) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function batch(): { xs: Float32Array; ys: Float32Array } {
  const random = new SeededRandom(5);
  const xs = Float32Array.from({ length: 4 * 16 * 16 }, () => random.next());
  const ys = Float32Array.from(xs, (v) => (v > 0.5 ? 1 : 0));
  return { xs, ys };
}

async function lossCurve(backend: string, steps: number): Promise<number[]> {
  await tf.setBackend(backend);
  const model = smallNetwork();
  const optimizer = tf.train.adam(0.01);
  const { xs: xv, ys: yv } = batch();
  const xs = tf.tensor4d(xv, [4, 16, 16, 1]);
  const ys = tf.tensor4d(yv, [4, 16, 16, 1]);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(ys, model.apply(xs) as tf.Tensor), true) as tf.Scalar;
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  tf.dispose([xs, ys]);
  optimizer.dispose();
  model.dispose();
  return losses;
}

test('a training run on wasm follows the cpu run\'s loss curve', async () => {
  const cpu = await lossCurve('cpu', 8);
  const wasm = await lossCurve('wasm', 8);
  assert.ok(cpu[7]! < cpu[0]!, 'the loss falls');
  for (let i = 0; i < cpu.length; i++) {
    assert.ok(Math.abs(wasm[i]! - cpu[i]!) <= 1e-3 * Math.max(1, Math.abs(cpu[i]!)), `step ${i}: wasm ${wasm[i]} vs cpu ${cpu[i]}`);
  }
});

test('no leaks on wasm: tensor count and wasm heap are stable from step 2 to step 10', async () => {
  await tf.setBackend('wasm');
  const model = smallNetwork();
  const optimizer = tf.train.adam(0.01);
  const { xs: xv, ys: yv } = batch();
  const xs = tf.tensor4d(xv, [4, 16, 16, 1]);
  const ys = tf.tensor4d(yv, [4, 16, 16, 1]);
  const heapBytes = () => ((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength);
  let tensorsAtStep2 = 0;
  let heapAtStep2 = 0;
  for (let step = 1; step <= 10; step++) {
    const loss = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(ys, model.apply(xs) as tf.Tensor), true) as tf.Scalar;
    await loss.data();
    loss.dispose();
    if (step === 2) {
      tensorsAtStep2 = tf.memory().numTensors;
      heapAtStep2 = heapBytes();
    }
  }
  assert.equal(tf.memory().numTensors, tensorsAtStep2);
  assert.equal(heapBytes(), heapAtStep2, 'the wasm heap stopped growing');
  tf.dispose([xs, ys]);
  optimizer.dispose();
  model.dispose();
});

// Every kernel CC-Net registers on wasm, against the cpu backend over a grid of shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../../../src/engine/tf';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../../src/engine/backend/wasm-kernels';
import { SeededRandom } from '../../../src/engine/util/random';

registerWasmTrainingKernels();

function randomValues(size: number, random: SeededRandom): Float32Array {
  return Float32Array.from({ length: size }, () => random.uniform(-1, 1));
}

/** Runs a kernel on one backend with plain arrays in and out. */
async function runOn(backend: string, kernel: string, inputs: Record<string, { shape: number[]; values: Float32Array }>, attrs: Record<string, unknown>) {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
  const out = tf.engine().runKernel(kernel, tensors, attrs as never) as tf.Tensor;
  const result = { shape: out.shape, values: await out.data() };
  tf.dispose([out, ...Object.values(tensors)]);
  return result;
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]!));
  }
  return maxDiff / Math.max(maxAbs, 1e-6);
}

interface ConvCase {
  n: number; h: number; w: number; ci: number; co: number; k: number; stride: number; pad: 'same' | 'valid';
}

function grid(): ConvCase[] {
  const cases: ConvCase[] = [];
  for (const [h, w] of [[8, 8], [7, 9]] as const)
    for (const k of [1, 2, 3, 5])
      for (const stride of [1, 2])
        for (const pad of ['same', 'valid'] as const)
          for (const [ci, co] of [[1, 2], [3, 4]] as const) {
            if (pad === 'valid' && (k > h || k > w)) continue;
            cases.push({ n: 2, h, w, ci, co, k, stride, pad });
          }
  // transposed-convolution shapes of the networks: 2x2/2 (U-Net), 4x4/2 and 16x16/8 (FCN-8s)
  cases.push({ n: 1, h: 16, w: 16, ci: 3, co: 5, k: 2, stride: 2, pad: 'same' });
  cases.push({ n: 1, h: 16, w: 16, ci: 3, co: 5, k: 4, stride: 2, pad: 'same' });
  cases.push({ n: 1, h: 32, w: 32, ci: 2, co: 3, k: 16, stride: 8, pad: 'same' });
  return cases;
}

function outSize(size: number, k: number, stride: number, pad: 'same' | 'valid'): number {
  return pad === 'same' ? Math.ceil(size / stride) : Math.ceil((size - k + 1) / stride);
}

test('Conv2DBackpropFilter on wasm matches cpu (relative error <= 1e-4)', async () => {
  const random = new SeededRandom(11);
  for (const c of grid()) {
    const oh = outSize(c.h, c.k, c.stride, c.pad);
    const ow = outSize(c.w, c.k, c.stride, c.pad);
    const inputs = {
      x: { shape: [c.n, c.h, c.w, c.ci], values: randomValues(c.n * c.h * c.w * c.ci, random) },
      dy: { shape: [c.n, oh, ow, c.co], values: randomValues(c.n * oh * ow * c.co, random) },
    };
    const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [c.k, c.k, c.ci, c.co] };
    const expected = await runOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    const actual = await runOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    assert.deepEqual(actual.shape, expected.shape, JSON.stringify(c));
    const error = relativeError(actual.values, expected.values);
    assert.ok(error <= 1e-4, `${JSON.stringify(c)}: relative error ${error}`);
  }
});

test('Conv2DBackpropInput (and so conv2dTranspose) on wasm matches cpu (relative error <= 1e-4)', async () => {
  const random = new SeededRandom(12);
  for (const c of grid()) {
    const oh = outSize(c.h, c.k, c.stride, c.pad);
    const ow = outSize(c.w, c.k, c.stride, c.pad);
    const inputs = {
      dy: { shape: [c.n, oh, ow, c.co], values: randomValues(c.n * oh * ow * c.co, random) },
      filter: { shape: [c.k, c.k, c.ci, c.co], values: randomValues(c.k * c.k * c.ci * c.co, random) },
    };
    const attrs = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: [c.n, c.h, c.w, c.ci] };
    const expected = await runOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
    const actual = await runOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
    assert.deepEqual(actual.shape, expected.shape, JSON.stringify(c));
    const error = relativeError(actual.values, expected.values);
    assert.ok(error <= 1e-4, `${JSON.stringify(c)}: relative error ${error}`);
  }
});

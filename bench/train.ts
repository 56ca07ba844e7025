/**
 * Training speed: the same U-Net training step (filters 4-8-16-32-64, input 128x128x1, batch 4,
 * Adam, binary cross-entropy) on the pure-JS cpu backend and on the wasm backend with CC-Net's
 * training kernels, in one process. Prints one JSON line:
 *   cpuStepMs, wasmStepMs (medians), wasmForwardMs (median forward pass of the same batch),
 *   speedupVsCpu = cpuStepMs / wasmStepMs, stepOverForward = wasmStepMs / wasmForwardMs,
 *   gflopsPerSec = training FLOPs per step / wasmStepMs, where training FLOPs are taken as
 *   3x the forward FLOPs (forward + input gradient + filter gradient), and the forward FLOPs
 *   are 2 x multiply-adds of every convolution, counted from the layers.
 * Env: CCNET_BENCH_CPU_STEPS (default 2), CCNET_BENCH_WASM_STEPS (default 10).
 */
import * as tf from '../src/engine/tf';
import { selectBackend } from '../src/engine/backend/select';
import { median } from '../src/engine/util/stats';

const FILTERS = [4, 8, 16, 32, 64];
const SIZE = 128;
const BATCH = 4;

function unet(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 1] });
  const conv = (t: tf.SymbolicTensor, f: number) => tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: f }) }).apply(t) as tf.SymbolicTensor;
  let x: tf.SymbolicTensor = input;
  const skips: tf.SymbolicTensor[] = [];
  FILTERS.forEach((f, i) => {
    x = conv(conv(x, f), f);
    if (i < FILTERS.length - 1) {
      skips.push(x);
      x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
    }
  });
  for (let i = FILTERS.length - 2; i >= 0; i--) {
    x = tf.layers.conv2dTranspose({ filters: FILTERS[i]!, kernelSize: 2, strides: 2, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 100 + i }) }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.concatenate().apply([skips[i]!, x]) as tf.SymbolicTensor;
    x = conv(conv(x, FILTERS[i]!), FILTERS[i]!);
  }
  const output = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/** 2 x multiply-adds of every (transposed) convolution for one forward pass of the batch. */
function forwardFlops(model: tf.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const kernel = layer.getWeights()[0];
    if (!kernel || kernel.rank !== 4) continue;
    const [kh, kw, a, b] = kernel.shape as number[];
    const inputShape = layer.input as tf.SymbolicTensor;
    const outputShape = layer.output as tf.SymbolicTensor;
    if (layer.getClassName() === 'Conv2DTranspose') {
      flops += 2 * inputShape.shape[1]! * inputShape.shape[2]! * kh! * kw! * a! * b!;
    } else {
      flops += 2 * outputShape.shape[1]! * outputShape.shape[2]! * kh! * kw! * a! * b!;
    }
  }
  return flops * BATCH;
}

async function timeSteps(backend: 'cpu' | 'wasm', steps: number, warmUp: number) {
  await selectBackend(backend);
  const model = unet();
  const optimizer = tf.train.adam(5e-5);
  const xs = tf.randomUniform([BATCH, SIZE, SIZE, 1], 0, 1, 'float32', 1);
  const ys = tf.tidy(() => tf.randomUniform([BATCH, SIZE, SIZE, 1], 0, 1, 'float32', 2).greater(0.5).toFloat());
  const step = () => {
    const loss = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(ys, model.apply(xs) as tf.Tensor), true) as tf.Scalar;
    loss.dataSync();
    loss.dispose();
  };
  const forward = () => tf.tidy(() => (model.predict(xs) as tf.Tensor).dataSync());
  for (let i = 0; i < warmUp; i++) {
    step();
    forward();
  }
  const stepMs: number[] = [];
  const forwardMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    let t = performance.now();
    step();
    stepMs.push(performance.now() - t);
    t = performance.now();
    forward();
    forwardMs.push(performance.now() - t);
    process.stderr.write(`${backend} step ${i + 1}/${steps}: ${stepMs[i]!.toFixed(1)} ms\n`);
  }
  const flops = forwardFlops(model);
  tf.dispose([xs, ys]);
  optimizer.dispose();
  model.dispose();
  return { stepMs: median(stepMs), forwardMs: median(forwardMs), flops };
}

async function main() {
  const cpuSteps = Number(process.env.CCNET_BENCH_CPU_STEPS ?? 2);
  const wasmSteps = Number(process.env.CCNET_BENCH_WASM_STEPS ?? 10);
  const wasm = await timeSteps('wasm', wasmSteps, 3);
  const report = await selectBackend('wasm');
  const cpu = await timeSteps('cpu', cpuSteps, 1);
  const trainingFlops = 3 * wasm.flops;
  console.log(
    JSON.stringify({
      network: `unet ${FILTERS.join('-')}`,
      input: `${SIZE}x${SIZE}x1`,
      batch: BATCH,
      cpuStepMs: round(cpu.stepMs),
      wasmStepMs: round(wasm.stepMs),
      wasmForwardMs: round(wasm.forwardMs),
      speedupVsCpu: round(cpu.stepMs / wasm.stepMs),
      stepOverForward: round(wasm.stepMs / wasm.forwardMs),
      gflopsPerSec: round(trainingFlops / (wasm.stepMs / 1000) / 1e9),
      forwardGflop: round(wasm.flops / 1e9),
      wasmSimd: report.wasmSimd,
      wasmThreads: report.wasmThreads,
      cpuSteps,
      wasmSteps,
    }),
  );
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Kernels that training needs and TensorFlow.js 4.22's wasm backend lacks (or runs slowly),
 * built from the fast wasm kernels that exist. `registerWasmTrainingKernels()` is idempotent.
 */
import * as tf from '../../tf';
import { conv2dBackpropFilterAsConvolution } from './conv2d-backprop-filter';
import { conv2dBackpropInputAsConvolution } from './conv2d-backprop-input';

let registered = false;

export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) =>
      conv2dBackpropFilterAsConvolution(inputs.x as tf.Tensor4D, inputs.dy as tf.Tensor4D, attrs as never) as unknown as tf.TensorInfo,
  });
  // Replaces wasm's own (slow, loop-based) kernel.
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) =>
      conv2dBackpropInputAsConvolution(inputs.dy as tf.Tensor4D, inputs.filter as tf.Tensor4D, attrs as never) as unknown as tf.TensorInfo,
  });
}

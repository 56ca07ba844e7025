/**
 * TensorFlow.js as CC-Net Studio uses it: the core API (tensors, ops, gradients, optimizers,
 * `tf.io`), the Layers API and the pure-JavaScript cpu backend. Every module imports
 * TensorFlow.js from here (`import * as tf from '../tf'`), not from the `@tensorflow/tfjs`
 * umbrella package, which also pulls in the WebGL backend, the converter and tfjs-data:
 * browser code the kernel never runs, and most of the umbrella's size in the bundles.
 *
 * What the umbrella adds on top of tfjs-core, and is kept here:
 * - the gradients of every op (`register_all_gradients`), which training needs;
 * - the chained ops on `tf.Tensor` (`x.square()`, `x.reshape()`, ...),
 *   `register_all_chained_ops`;
 * - the cpu backend, registered on import (the fallback of `selectBackend`).
 * The wasm backend is loaded on demand by `backend/select.ts`; the native backends
 * (@tensorflow/tfjs-node, -gpu) register themselves with the same engine, which tfjs-core
 * keeps in a global, when they are required.
 *
 * The order of the imports matters under tsx (tests, benches): there `@tensorflow/tfjs-core`
 * is its CommonJS node build, while the two `dist/` modules are ES modules that bring a
 * second, partial copy of tfjs-core's modules. tfjs-core keeps its engine, kernel and gradient
 * registries and its Tensor class in globals, so both copies share them, provided the complete
 * CommonJS copy loads first and defines the Tensor class. In the esbuild bundles the packages
 * resolve to their ES module builds (esbuild.mjs), and there is one copy.
 */
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

// Builds every bundle of CC-Net Studio into dist/. `node esbuild.mjs --watch` rebuilds on change;
// `--production` minifies (scripts/package.mjs builds that way). esbuild does not type-check:
// `npm run typecheck` (tsc --noEmit) does.
//
// Every pure-JavaScript dependency is bundled. What cannot be bundled stays outside and is
// shipped next to the bundles (scripts/package.mjs stages it):
// - sharp: native (libvips); loaded from node_modules/sharp and its @img/sharp-<platform>
//   packages, which the platform-specific .vsix carries;
// - the TensorFlow.js wasm binaries: copied into dist/, where src/engine/backend/select.ts
//   points the wasm backend (setWasmPaths);
// - OpenCV.js: 11 MB of JavaScript with the wasm inlined, loaded lazily by three bundles
//   (kernel, cli, complexity worker): copied once into dist/opencv.js, required from there
//   (src/engine/complexity/opencv.ts);
// - the optional native TensorFlow backends (@tensorflow/tfjs-node, -gpu): never shipped; the
//   "Install Native TensorFlow Backend" command installs them, select.ts requires them guarded.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const require = createRequire(import.meta.url);

/** Packages that stay outside the node bundles (see above); the rest is bundled. */
const nodeExternals = [
  'vscode',
  'sharp',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@techstark/opencv-js',
  // msgpackr's optional native accelerator (bullmq -> msgpackr); msgpackr falls back to JS.
  'msgpackr-extract',
  // only for running sources under tests (worker-pool.ts starts .ts workers through it)
  'tsx',
  // native; a devDependency the product loads when it runs an ONNX export (segment)
  'onnxruntime-node',
];

/**
 * Resolves the TensorFlow.js packages to their ES module builds ("module" field) instead of
 * their CommonJS node builds ("main"): the ES builds tree-shake, and every package and the
 * subpath imports of src/engine/tf.ts (`@tensorflow/tfjs-core/dist/register_all_gradients`)
 * then share one copy of tfjs-core's modules.
 */
const tfjsEsm = {
  name: 'tfjs-esm',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-(core|layers|backend-cpu|backend-wasm)$/ }, (args) => {
      const manifest = require.resolve(`${args.path}/package.json`, { paths: [args.resolveDir] });
      return { path: join(dirname(manifest), require(manifest).module) };
    });
  },
};

/** Files copied into dist/ beside the bundles: [source, name in dist/]. */
const distAssets = [
  ...['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((name) => [
    join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist', name),
    name,
  ]),
  [require.resolve('@techstark/opencv-js'), 'opencv.js'],
  // its license, which esbuild's LEGAL.txt files (bundled code only) do not carry
  [join(dirname(require.resolve('@techstark/opencv-js/package.json')), 'LICENSE'), 'opencv.js.LICENSE.txt'],
];

function copyAssets() {
  mkdirSync('dist', { recursive: true });
  for (const [source, name] of distAssets) copyFileSync(source, join('dist', name));
}

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  legalComments: 'linked',
};

/** @type {esbuild.BuildOptions} */
const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: nodeExternals,
  plugins: [tfjsEsm],
  outdir: 'dist',
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  // The extension: runs in VS Code's extension host.
  { ...nodeCommon, entryPoints: { extension: 'src/extension.ts' } },
  // The kernel process, the CLI and the complexity worker threads: plain Node.
  { ...nodeCommon, entryPoints: { kernel: 'src/kernel/main.ts', cli: 'src/cli/main.ts', 'complexity-worker': 'src/engine/complexity/worker.ts' } },
  // The notebook renderer: an ES module loaded into the notebook's output webview.
  { ...common, entryPoints: { renderer: 'webview/renderer/index.ts' }, platform: 'browser', format: 'esm', target: 'es2022', outdir: 'dist' },
  // The dashboard panel webview.
  { ...common, entryPoints: { panel: 'webview/panel/main.ts' }, platform: 'browser', format: 'iife', target: 'es2022', outdir: 'dist' },
];

copyAssets();
if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.error('watching for changes...');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}

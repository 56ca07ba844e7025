// Builds every bundle of CC-Net Studio into dist/. `node esbuild.mjs --watch` rebuilds on change.
// esbuild does not type-check: `npm run typecheck` (tsc --noEmit) does.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Native or wasm-loading packages stay outside the bundles and load from node_modules. */
const nodeExternals = [
  'vscode',
  'sharp',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@techstark/opencv-js',
  '@stdlib/*',
  'canvas',
  'tsx',
  // native; a devDependency the product loads when it runs an ONNX export (segment)
  'onnxruntime-node',
];

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  legalComments: 'linked',
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  // The extension: runs in VS Code's extension host.
  { ...common, entryPoints: { extension: 'src/extension.ts' }, platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals, outdir: 'dist' },
  // The kernel process and the CLI: plain Node.
  {
    ...common,
    entryPoints: { kernel: 'src/kernel/main.ts', cli: 'src/cli/main.ts', 'complexity-worker': 'src/engine/complexity/worker.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    outdir: 'dist',
  },
  // The notebook renderer: an ES module loaded into the notebook's output webview.
  { ...common, entryPoints: { renderer: 'webview/renderer/index.ts' }, platform: 'browser', format: 'esm', target: 'es2022', outdir: 'dist' },
  // The dashboard panel webview.
  { ...common, entryPoints: { panel: 'webview/panel/main.ts' }, platform: 'browser', format: 'iife', target: 'es2022', outdir: 'dist' },
];

if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.error('watching for changes...');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}

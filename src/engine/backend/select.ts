/**
 * Chooses the TensorFlow.js backend the kernel trains on.
 *
 * `auto` tries, in order: @tensorflow/tfjs-node-gpu (CUDA), @tensorflow/tfjs-node (native
 * TensorFlow on the CPU), @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD; with CC-Net's extra
 * training kernels), and finally the pure-JavaScript cpu backend. The native packages are
 * optional: their install downloads libtensorflow, which fails offline; the command "CC-Net:
 * Install Native TensorFlow Backend" installs them into a folder given here as
 * `extraModulePaths`. Each backend that was skipped is reported with the reason.
 *
 * TensorFlow.js itself (tfjs-core, layers, the cpu and wasm backends) is bundled into dist/;
 * the native packages are never bundled (esbuild.mjs lists them as external) and are loaded
 * with a guarded `require` that reports why they are unavailable.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '../tf';
import { bundledWasmFolder } from './wasm-binaries';
import { registerWasmTrainingKernels } from './wasm-kernels';

export const BACKEND_PREFERENCES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
export type BackendName = Exclude<BackendPreference, 'auto'>;

export interface BackendReport {
  name: BackendName;
  /** tf.getBackend(): 'tensorflow', 'wasm' or 'cpu'. */
  tfBackendName: string;
  requested: BackendPreference;
  /** Better backends that were not used, and why. */
  skipped: { backend: BackendName; reason: string }[];
  /** For wasm: whether SIMD and threads are on. */
  wasmSimd?: boolean;
  wasmThreads?: boolean;
}

export interface SelectBackendOptions {
  /** Folders whose node_modules may hold the native packages (the install command's folder). */
  extraModulePaths?: string[];
}

const NATIVE_PACKAGE: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** Loads a package from node_modules or from one of the extra folders; the reason when it cannot. */
function tryRequire(packageName: string, extraModulePaths: readonly string[]): { ok: true } | { ok: false; reason: string } {
  const places = [undefined, ...extraModulePaths];
  let lastError = '';
  for (const place of places) {
    try {
      const load = place ? createRequire(join(place, 'package.json')) : createRequire(__filename);
      load(packageName);
      return { ok: true };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      if (!/Cannot find module/.test(message)) lastError = message;
    }
  }
  return {
    ok: false,
    reason: lastError
      ? `${packageName} is installed but failed to load: ${lastError}`
      : `${packageName} is not installed (run "CC-Net: Install Native TensorFlow Backend"; it needs internet access)`,
  };
}

async function useNative(name: 'tensorflow-gpu' | 'tensorflow', extraModulePaths: readonly string[]): Promise<string | undefined> {
  const loaded = tryRequire(NATIVE_PACKAGE[name], extraModulePaths);
  if (!loaded.ok) return loaded.reason;
  if (!(await tf.setBackend('tensorflow'))) return `${NATIVE_PACKAGE[name]} loaded but its backend did not start`;
  return undefined;
}

async function useWasm(): Promise<string | undefined> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // the bundles load the binaries from dist/ (see wasm-binaries.ts); before the backend starts
    const folder = bundledWasmFolder();
    if (folder) wasm.setWasmPaths(folder);
    registerWasmTrainingKernels();
    if (!(await tf.setBackend('wasm'))) return 'the wasm backend did not start';
    await tf.ready();
    return undefined;
  } catch (error) {
    return `the wasm backend failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

/** Starts the preferred backend (or the best available for `auto`) and says what happened. */
export async function selectBackend(preference: BackendPreference = 'auto', options: SelectBackendOptions = {}): Promise<BackendReport> {
  if (!BACKEND_PREFERENCES.includes(preference)) {
    throw new RangeError(`unknown backend '${preference}'; choose one of ${BACKEND_PREFERENCES.join(', ')}`);
  }
  const extra = options.extraModulePaths ?? [];
  const order: BackendName[] = preference === 'auto' ? ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] : [preference];
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    let problem: string | undefined;
    if (name === 'tensorflow-gpu' || name === 'tensorflow') problem = await useNative(name, extra);
    else if (name === 'wasm') problem = await useWasm();
    else problem = (await tf.setBackend('cpu')) ? undefined : 'the cpu backend did not start';
    if (problem === undefined) {
      await tf.ready();
      const report: BackendReport = { name, tfBackendName: tf.getBackend(), requested: preference, skipped };
      if (name === 'wasm') {
        report.wasmSimd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
        report.wasmThreads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
      }
      return report;
    }
    if (preference !== 'auto') throw new Error(`backend ${name} is not available: ${problem}; set ccnet.backend to auto to use the best available one`);
    skipped.push({ backend: name, reason: problem });
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

/** One line for status bars and training outputs, e.g. "wasm (SIMD, 1 thread) — tensorflow-gpu: not installed". */
export function describeBackend(report: BackendReport): string {
  let head: string = report.name;
  if (report.name === 'wasm') head += ` (${report.wasmSimd ? 'SIMD' : 'no SIMD'}, ${report.wasmThreads ? 'threads' : '1 thread'})`;
  const why = report.skipped.map((s) => `${s.backend}: ${s.reason.includes('not installed') ? 'not installed' : s.reason}`);
  return why.length ? `${head} — ${why.join('; ')}` : head;
}

/**
 * Where the wasm backend finds its binaries (tfjs-backend-wasm*.wasm).
 *
 * In the esbuild bundles (dist/kernel.js, dist/cli.js) the backend's JavaScript is inlined and
 * esbuild.mjs copies the three .wasm files into dist/, beside the bundle: the folder of the
 * running module. Under tsx (tests, benches) no binaries lie beside the sources, and the
 * backend finds them in its own package, as it does by default.
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The binary whose presence marks a folder as holding the wasm backend's binaries. */
export const WASM_BINARY_MARKER = 'tfjs-backend-wasm-simd.wasm';

/**
 * The folder (with a trailing separator, as `setWasmPaths` concatenates it with the file
 * name) holding the wasm binaries beside `moduleDir`, or undefined when there are none there.
 */
export function bundledWasmFolder(moduleDir: string = typeof __dirname === 'string' ? __dirname : process.cwd()): string | undefined {
  return existsSync(join(moduleDir, WASM_BINARY_MARKER)) ? join(moduleDir, sep) : undefined;
}

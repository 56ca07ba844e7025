/**
 * The .vsix the end-to-end test installs: the lean linux-x64 package that `npm run package`
 * builds (scripts/packaging/package-vsix.ts, the same code), or a .vsix given in
 * CCNET_E2E_VSIX (`npm run bench:package` passes the one it measured). And what the installed
 * extension must hold: the bundles, the wasm binaries and OpenCV.js in dist/, sharp with its
 * linux-x64 binaries in node_modules, and nothing of TensorFlow.js in node_modules (bundled).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVsix } from '../../scripts/packaging/package-vsix';
import { vsixFiles } from '../../scripts/packaging/vsix';

/** The target the e2e test runs (code-server on this Linux x64 machine). */
export const E2E_TARGET = 'linux-x64';

interface Manifest {
  name: string;
  publisher: string;
  version: string;
}

export function readManifest(repoRoot: string): Manifest {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
}

export interface PackagedVsix {
  vsixPath: string;
  vsixBytes: number;
  fileCount: number;
  /** What was done: "packaged" or "given in CCNET_E2E_VSIX". */
  origin: string;
  /** vsce's output (empty for a given .vsix). */
  vsceOutput: string;
}

/** Packages the extension for linux-x64 into `vsixPath`, or takes CCNET_E2E_VSIX. */
export function packageExtension(repoRoot: string, vsixPath: string, timeoutMs: number): PackagedVsix {
  const given = process.env.CCNET_E2E_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`CCNET_E2E_VSIX=${given} does not exist`);
    const files = vsixFiles(given);
    return { vsixPath: given, vsixBytes: readFileSync(given).length, fileCount: files.length, origin: 'given in CCNET_E2E_VSIX', vsceOutput: '' };
  }
  const result = packageVsix({ repoRoot, target: E2E_TARGET, outPath: vsixPath, timeoutMs });
  return { vsixPath, vsixBytes: result.vsixBytes, fileCount: vsixFiles(vsixPath).length, origin: 'packaged', vsceOutput: result.vsceOutput };
}

/**
 * The folder VS Code installed the extension into: `<publisher>.<name>-<version>`, with
 * `-<target>` appended for a platform-specific package. Undefined when there is none.
 */
export function installedFolder(extensionsDir: string, repoRoot: string): string | undefined {
  const manifest = readManifest(repoRoot);
  const prefix = `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
  if (!existsSync(extensionsDir)) return undefined;
  const name = readdirSync(extensionsDir).find((entry) => entry.toLowerCase() === prefix || entry.toLowerCase().startsWith(`${prefix}-`));
  return name ? join(extensionsDir, name) : undefined;
}

/** Files the installed extension must have (relative to its folder). */
export const REQUIRED_INSTALLED_FILES = [
  'package.json',
  'dist/extension.js',
  'dist/kernel.js',
  'dist/complexity-worker.js',
  'dist/renderer.js',
  'dist/opencv.js',
  'dist/tfjs-backend-wasm-simd.wasm',
  'node_modules/sharp/package.json',
  'node_modules/@img/sharp-linux-x64/package.json',
  'node_modules/@img/sharp-libvips-linux-x64/package.json',
];

/** Problems with an installed extension folder: missing files, or TensorFlow.js shipped unbundled. */
export function installedProblems(folder: string): string[] {
  const problems = REQUIRED_INSTALLED_FILES.filter((path) => !existsSync(join(folder, path))).map((path) => `${path} is missing`);
  if (existsSync(join(folder, 'node_modules', '@tensorflow'))) problems.push('node_modules/@tensorflow is shipped (TensorFlow.js should be bundled in dist/)');
  return problems;
}

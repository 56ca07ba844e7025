/**
 * Packages the repository as a .vsix with @vscode/vsce, as a user would install it: the
 * manifest's contributes, dist/ from `npm run build`, and the production dependencies in
 * node_modules (the kernel loads sharp and TensorFlow.js from there at run time).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Path of vsce's command-line script in the repository's node_modules. */
export function vsceScript(repoRoot: string): string {
  const script = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!existsSync(script)) throw new Error(`@vscode/vsce is not installed (${script} missing): run npm ci`);
  return script;
}

/** Files the manifest points at, which must exist before packaging (`npm run build` makes them). */
export function manifestEntryPoints(repoRoot: string): string[] {
  const manifest = readManifest(repoRoot);
  const renderers = manifest.contributes?.notebookRenderer ?? [];
  return [manifest.main, ...renderers.map((r) => r.entrypoint)].filter((p): p is string => typeof p === 'string').map((p) => join(repoRoot, p));
}

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  main?: string;
  dependencies?: Record<string, string>;
  contributes?: { notebookRenderer?: Array<{ entrypoint?: string }> };
}

export function readManifest(repoRoot: string): Manifest {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
}

/** The folder name VS Code gives the installed extension: `<publisher>.<name>-<version>`. */
export function installedFolderName(repoRoot: string): string {
  const manifest = readManifest(repoRoot);
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
}

/** Names of the production dependencies the installed extension must carry. */
export function runtimeDependencies(repoRoot: string): string[] {
  return Object.keys(readManifest(repoRoot).dependencies ?? {});
}

/** Runs `vsce package --out <vsixPath>`; returns vsce's output. Throws with it on failure. */
export function packageExtension(repoRoot: string, vsixPath: string, timeoutMs: number): string {
  const missing = manifestEntryPoints(repoRoot).filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`not built: ${missing.join(', ')} missing; run npm run build first`);
  const result = spawnSync(process.execPath, [vsceScript(repoRoot), 'package', '--out', vsixPath, '--skip-license'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error || result.status !== 0 || !existsSync(vsixPath)) {
    throw new Error(`vsce package failed (status ${result.status}${result.error ? `, ${result.error.message}` : ''}):\n${output}`);
  }
  return output;
}

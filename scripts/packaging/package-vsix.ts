/**
 * Builds a platform-specific .vsix of CC-Net Studio: a production build of dist/ (minified
 * bundles), the staged folder (stage.ts), and `vsce package --target <target>` run in it.
 * `npm run package`, the end-to-end test and `npm run bench:package` all package through
 * `packageVsix`, so they test and measure the same package.
 *
 * vsce's output must hold no warning: one (too many files, a missing LICENSE or repository
 * field...) fails the packaging unless `allowWarnings` is set. The manifest has no repository
 * field (the project has no public repository yet), so vsce runs with
 * `--allow-missing-repository`, which stops it asking about it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stageExtension, type StageReport } from './stage';
import type { VsceTarget } from './targets';

export interface PackageOptions {
  repoRoot: string;
  target: VsceTarget;
  /** The .vsix to write. */
  outPath: string;
  /** Rebuild dist/ with `node esbuild.mjs --production` first (default true). */
  build?: boolean;
  /** Do not fail when vsce prints a warning (default false). */
  allowWarnings?: boolean;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface PackageResult {
  vsixPath: string;
  vsixBytes: number;
  /** vsce's own output. */
  vsceOutput: string;
  /** Lines of vsce's output that are warnings (empty when the package is clean). */
  warnings: string[];
  stage: StageReport;
}

/** The lines of vsce's output that warn (vsce marks them WARNING). */
export function vsceWarnings(output: string): string[] {
  return output.split('\n').filter((line) => /\bWARNING\b/i.test(line));
}

/** Path of vsce's command-line script in the repository's node_modules. */
export function vsceScript(repoRoot: string): string {
  const script = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!existsSync(script)) throw new Error(`@vscode/vsce is not installed (${script} missing): run npm ci`);
  return script;
}

export function packageVsix(options: PackageOptions): PackageResult {
  const { repoRoot, target } = options;
  const log = options.log ?? (() => undefined);
  const timeout = options.timeoutMs ?? 300_000;
  const outPath = resolve(options.outPath);
  if (options.build !== false) {
    log('building dist/ (node esbuild.mjs --production)');
    const build = spawnSync(process.execPath, [join(repoRoot, 'esbuild.mjs'), '--production'], { cwd: repoRoot, encoding: 'utf8', timeout });
    if (build.status !== 0) throw new Error(`the production build failed (status ${build.status}):\n${build.stderr}`);
  }
  const stageRoot = join(repoRoot, '.package');
  const stage = stageExtension({ repoRoot, stageDir: join(stageRoot, target), target, cacheDir: join(stageRoot, 'cache'), log });
  mkdirSync(dirname(outPath), { recursive: true });
  log(`vsce package --target ${target} in ${stage.stageDir}`);
  const result = spawnSync(process.execPath, [vsceScript(repoRoot), 'package', '--target', target, '--out', outPath, '--allow-missing-repository'], {
    cwd: stage.stageDir,
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    // vsce asks y/N on stdin for some problems: with no stdin it answers no and fails
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const vsceOutput = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error || result.status !== 0 || !existsSync(outPath)) {
    throw new Error(`vsce package failed (status ${result.status}${result.error ? `, ${result.error.message}` : ''}):\n${vsceOutput}`);
  }
  const warnings = vsceWarnings(vsceOutput);
  if (warnings.length > 0 && !options.allowWarnings) throw new Error(`vsce warned (the package must be clean):\n${vsceOutput}`);
  return { vsixPath: outPath, vsixBytes: statSync(outPath).size, vsceOutput, warnings, stage };
}

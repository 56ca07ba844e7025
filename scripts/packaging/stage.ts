/**
 * Stages the folder that vsce packages: only what the installed extension runs or shows, so the
 * .vsix stays small and carries one platform's native binaries.
 *
 * Staged: dist/ (the esbuild bundles, the wasm binaries, OpenCV.js, the bundles' LEGAL.txt
 * license notices; no source maps), media/ (sample notebook, shipped calibrations, icon; not
 * media/calibrations/in-progress/, where running calibrations save partial files), syntaxes/,
 * bin/, README.md, LICENSE, CHANGELOG.md, .vscodeignore, and node_modules/ with sharp, its
 * JavaScript dependencies and its two platform packages for the target. package.json is the
 * repository's manifest with `dependencies` cut to sharp (everything else is bundled) and
 * without scripts, devDependencies and optionalDependencies (the native TensorFlow backends are
 * installed on demand by a command, never shipped), so that `npm list --production`, which vsce
 * runs, sees exactly the staged tree.
 *
 * Platform packages not installed in the repository (another platform's) are fetched with
 * `npm pack` into a cache folder.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sharpPlatformPackages, type NativePackage, type VsceTarget } from './targets';

/** Top-level files copied as they are. */
export const STAGED_FILES = ['README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore'] as const;
/** Top-level folders copied (filtered by `isStagedPath`). */
export const STAGED_FOLDERS = ['dist', 'media', 'syntaxes', 'bin'] as const;

/** Whether a path under one of STAGED_FOLDERS (relative to the repository, `/`-separated) is staged. */
export function isStagedPath(path: string): boolean {
  if (path === 'media/calibrations/in-progress' || path.startsWith('media/calibrations/in-progress/')) return false;
  return !path.endsWith('.map');
}

interface Manifest {
  name: string;
  version: string;
  publisher: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The manifest the package carries: the repository's, with dependencies cut to sharp. */
export function shippedManifest(manifest: Manifest, sharpVersion: string): Manifest {
  const { scripts: _scripts, devDependencies: _dev, optionalDependencies: _optional, ...rest } = manifest;
  return { ...rest, dependencies: { sharp: sharpVersion } };
}

export interface StagedPackage extends NativePackage {
  /** Where it was copied from: the repository's node_modules or the npm pack cache. */
  from: 'node_modules' | 'npm pack';
}

export interface StageReport {
  stageDir: string;
  target: VsceTarget;
  packages: StagedPackage[];
}

export interface StageOptions {
  repoRoot: string;
  /** Emptied and filled. */
  stageDir: string;
  target: VsceTarget;
  /** Where `npm pack` puts the platform packages of other platforms (kept between runs). */
  cacheDir: string;
  log?: (line: string) => void;
}

/** Fills `stageDir` with the extension for `target` (see the module comment). */
export function stageExtension(options: StageOptions): StageReport {
  const { repoRoot, stageDir, target, cacheDir } = options;
  const log = options.log ?? (() => undefined);
  const missing = ['dist/extension.js', 'dist/kernel.js', ...STAGED_FILES].filter((p) => !existsSync(join(repoRoot, p)));
  if (missing.length > 0) throw new Error(`cannot stage the extension: ${missing.join(', ')} missing (run npm run build first)`);
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });

  for (const file of STAGED_FILES) cpSync(join(repoRoot, file), join(stageDir, file));
  for (const folder of STAGED_FOLDERS) {
    cpSync(join(repoRoot, folder), join(stageDir, folder), {
      recursive: true,
      filter: (source) => isStagedPath(relative(repoRoot, source).split(sep).join('/')),
    });
  }

  const sharpDir = join(repoRoot, 'node_modules', 'sharp');
  const sharp = readJson<Manifest>(join(sharpDir, 'package.json'));
  writeFileSync(join(stageDir, 'package.json'), `${JSON.stringify(shippedManifest(readJson<Manifest>(join(repoRoot, 'package.json')), sharp.version), null, 2)}\n`);

  const packages: StagedPackage[] = [];
  for (const name of dependencyClosure(repoRoot, 'sharp')) {
    const source = join(repoRoot, 'node_modules', name);
    cpSync(source, join(stageDir, 'node_modules', name), { recursive: true });
    packages.push({ name, version: readJson<Manifest>(join(source, 'package.json')).version, from: 'node_modules' });
  }
  for (const native of sharpPlatformPackages(target, sharp.optionalDependencies ?? {})) {
    const { dir, from } = locatePlatformPackage(repoRoot, cacheDir, native, log);
    cpSync(dir, join(stageDir, 'node_modules', native.name), { recursive: true });
    packages.push({ ...native, from });
  }
  for (const p of packages) log(`staged node_modules/${p.name}@${p.version} (${p.from})`);
  return { stageDir, target, packages };
}

/**
 * `root` and its dependencies, recursively (not optional ones), as installed in the
 * repository's node_modules (hoisted: every one at the top level, as npm installs sharp's).
 */
export function dependencyClosure(repoRoot: string, root: string): string[] {
  const seen: string[] = [];
  const visit = (name: string) => {
    if (seen.includes(name)) return;
    const manifestPath = join(repoRoot, 'node_modules', name, 'package.json');
    if (!existsSync(manifestPath)) throw new Error(`${name} is not installed in node_modules (needed by sharp); run npm ci`);
    seen.push(name);
    for (const dependency of Object.keys(readJson<Manifest>(manifestPath).dependencies ?? {})) visit(dependency);
  };
  visit(root);
  return seen;
}

/** The installed copy when its version matches, else one unpacked from `npm pack` into the cache. */
function locatePlatformPackage(repoRoot: string, cacheDir: string, native: NativePackage, log: (line: string) => void): { dir: string; from: StagedPackage['from'] } {
  const installed = join(repoRoot, 'node_modules', native.name);
  if (existsSync(join(installed, 'package.json')) && readJson<Manifest>(join(installed, 'package.json')).version === native.version) {
    return { dir: installed, from: 'node_modules' };
  }
  const unpacked = join(cacheDir, `${native.name.replace('/', '+')}@${native.version}`);
  const dir = join(unpacked, 'package');
  if (!existsSync(join(dir, 'package.json'))) {
    log(`fetching ${native.name}@${native.version} with npm pack (not installed for this platform)`);
    rmSync(unpacked, { recursive: true, force: true });
    mkdirSync(unpacked, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const pack = spawnSync(npm, ['pack', `${native.name}@${native.version}`, '--pack-destination', unpacked, '--json', '--silent'], {
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (pack.status !== 0) throw new Error(`npm pack ${native.name}@${native.version} failed (it needs the npm registry): ${pack.stderr || pack.error?.message}`);
    const tarball = readdirSync(unpacked).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${native.name}@${native.version} wrote no .tgz into ${unpacked}`);
    const untar = spawnSync('tar', ['-xzf', tarball], { encoding: 'utf8', cwd: unpacked });
    if (untar.status !== 0 || !existsSync(join(dir, 'package.json'))) throw new Error(`could not unpack ${tarball}: ${untar.stderr || untar.error?.message}`);
    rmSync(join(unpacked, tarball), { force: true });
  }
  return { dir, from: 'npm pack' };
}

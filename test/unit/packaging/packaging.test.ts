// The packaging's pieces: targets and sharp's platform packages, what is staged, the shipped
// manifest, and the package metadata vsce and the marketplace read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { dependencyClosure, isStagedPath, shippedManifest } from '../../../scripts/packaging/stage';
import { isVsceTarget, sharpPlatformPackages, VSCE_TARGETS } from '../../../scripts/packaging/targets';
import { repoRoot } from '../../helpers/built';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const sharpManifest = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'sharp', 'package.json'), 'utf8'));

test('every target maps to sharp packages that sharp pins: the addon, and libvips except on Windows', () => {
  for (const target of Object.keys(VSCE_TARGETS)) {
    assert.ok(isVsceTarget(target));
    const packages = sharpPlatformPackages(target, sharpManifest.optionalDependencies);
    const platform = VSCE_TARGETS[target];
    assert.equal(packages[0]!.name, `@img/sharp-${platform}`);
    assert.equal(packages[0]!.version, sharpManifest.version);
    assert.equal(packages.length, target.startsWith('win32') ? 1 : 2, `${target}: ${packages.map((p) => p.name).join(', ')}`);
  }
  assert.deepEqual(
    sharpPlatformPackages('linux-x64', sharpManifest.optionalDependencies).map((p) => p.name),
    ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'],
  );
  assert.equal(VSCE_TARGETS['alpine-x64'], 'linuxmusl-x64');
  assert.equal(isVsceTarget('web'), false);
  assert.equal(isVsceTarget('toString'), false);
  assert.throws(() => sharpPlatformPackages('linux-x64', {}), /no prebuilt sharp for linux-x64/);
});

test('staging leaves out source maps and the partial calibrations of running calibrations', () => {
  assert.equal(isStagedPath('dist/kernel.js'), true);
  assert.equal(isStagedPath('dist/kernel.js.map'), false);
  assert.equal(isStagedPath('media/calibrations/unet.json'), true);
  assert.equal(isStagedPath('media/calibrations/in-progress'), false);
  assert.equal(isStagedPath('media/calibrations/in-progress/unet.partial.json'), false);
});

test('the shipped manifest depends on sharp only, without scripts, dev or optional dependencies', () => {
  const shipped = shippedManifest(manifest, '0.35.5');
  assert.deepEqual(shipped.dependencies, { sharp: '0.35.5' });
  assert.equal(shipped.scripts, undefined);
  assert.equal(shipped.devDependencies, undefined);
  assert.equal(shipped.optionalDependencies, undefined);
  assert.equal(shipped.main, manifest.main);
  assert.deepEqual(shipped.contributes, manifest.contributes);
});

test("sharp's dependency closure is what the staged node_modules carries besides the platform packages", () => {
  const closure = dependencyClosure(repoRoot, 'sharp');
  assert.equal(closure[0], 'sharp');
  for (const name of Object.keys(sharpManifest.dependencies)) assert.ok(closure.includes(name), `${name} is missing from ${closure.join(', ')}`);
  assert.ok(!closure.some((name) => name.startsWith('@img/sharp-')), 'platform packages come from the target, not the closure');
});

test('the manifest is ready for the marketplace: icon, license, changelog, no placeholder repository', async () => {
  assert.equal(manifest.license, 'MIT');
  assert.match(readFileSync(join(repoRoot, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) \d{4} CC-Net Studio contributors/);
  assert.match(readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8'), /Keep a Changelog/);
  assert.equal(manifest.repository, undefined, 'no repository field until the project has a public one');
  assert.ok(manifest.categories.length > 0 && manifest.keywords.length > 0 && manifest.keywords.length <= 30);
  assert.equal(manifest.icon, 'media/icon.png');
  const icon = await sharp(join(repoRoot, manifest.icon)).metadata();
  assert.deepEqual([icon.format, icon.width, icon.height], ['png', 128, 128]);
  assert.ok(existsSync(join(repoRoot, 'media', 'icon.svg')), 'the icon is rendered from media/icon.svg');
  for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
    assert.equal(manifest.dependencies[name], undefined, `${name} is not a dependency (TensorFlow.js comes from src/engine/tf.ts; native backends are optional)`);
  }
});

test('every command the manifest contributes is registered by the built extension, and no other', () => {
  const bundle = readFileSync(join(repoRoot, 'dist', 'extension.js'), 'utf8');
  const registered = new Set([...bundle.matchAll(/registerCommand\(\s*["'](ccnet\.[A-Za-z]+)["']/g)].map((m) => m[1]));
  const contributed = (manifest.contributes.commands as { command: string }[]).map((c) => c.command);
  assert.ok(contributed.includes('ccnet.pruneOrQuantize'));
  assert.deepEqual([...registered].sort(), [...contributed].sort());
});

test('the extension host bundles no computation: no engine module beyond names and paths, no package beyond vscode-jsonrpc', () => {
  const map = JSON.parse(readFileSync(join(repoRoot, 'dist', 'extension.js.map'), 'utf8')) as { sources: string[] };
  const packages = [...new Set(map.sources.flatMap((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s)?.[1] ?? []))];
  assert.deepEqual(packages, ['vscode-jsonrpc']);
  const engine = map.sources.filter((s) => s.includes('src/engine/')).map((s) => s.slice(s.indexOf('src/engine/'))).sort();
  assert.deepEqual(engine, ['src/engine/models/titles.ts', 'src/engine/train/cache-folder.ts']);
});

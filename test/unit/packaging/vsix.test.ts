// The lean linux-x64 package, as `npm run package` makes it (from the dist/ that `npm test`
// built): within the limits, no vsce warning, and holding what the extension loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { packageVsix } from '../../../scripts/packaging/package-vsix';
import { vsixFiles } from '../../../scripts/packaging/vsix';
import { repoRoot, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

/** The limits of the issue on lean packaging. */
const MAX_BYTES = 25 * 1024 * 1024;
const MAX_FILES = 400;

test('the linux-x64 .vsix is at most 25 MB and 400 files, vsce does not warn, and it carries dist, wasm, OpenCV.js and sharp for linux-x64 only', { timeout: 240_000 }, async () => {
  requireBuilt();
  const folder = await tempFolder('ccnet-vsix-');
  try {
    const result = packageVsix({ repoRoot, target: 'linux-x64', outPath: join(folder.path, 'ccnet.vsix'), build: false, allowWarnings: true });
    assert.deepEqual(result.warnings, [], result.vsceOutput);
    const files = vsixFiles(result.vsixPath);
    const names = files.map((f) => f.name);
    // vsce's own count of what it packaged agrees with the zip's central directory
    assert.match(result.vsceOutput, new RegExp(`\\(${files.length} files,`));
    assert.ok(result.vsixBytes <= MAX_BYTES, `${result.vsixBytes} bytes`);
    assert.ok(files.length <= MAX_FILES, `${files.length} files`);
    for (const path of [
      'extension/package.json',
      'extension/LICENSE.txt',
      'extension/changelog.md',
      'extension/media/icon.png',
      'extension/media/sample.ccnet',
      'extension/dist/extension.js',
      'extension/dist/kernel.js',
      'extension/dist/cli.js',
      'extension/dist/complexity-worker.js',
      'extension/dist/renderer.js',
      'extension/dist/panel.js',
      'extension/dist/opencv.js',
      'extension/dist/tfjs-backend-wasm.wasm',
      'extension/dist/tfjs-backend-wasm-simd.wasm',
      'extension/dist/tfjs-backend-wasm-threaded-simd.wasm',
      'extension/bin/ccnet.js',
      'extension/node_modules/sharp/dist/index.cjs',
      'extension/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node',
    ]) {
      assert.ok(names.includes(path), `${path} is not in the package`);
    }
    assert.ok(names.some((n) => /^extension\/node_modules\/@img\/sharp-libvips-linux-x64\/lib\/libvips-cpp\.so/.test(n)), 'libvips for linux-x64');
    const unwanted = names.filter((n) => /\.map$|\/@tensorflow\/|\/@techstark\/|\/@stdlib\/|\/bullmq\/|calibrations\/in-progress\/|\/src\/|\.d\.[cm]?ts$|icon\.svg$/.test(n) || /@img\/sharp-(?!linux-x64|libvips-linux-x64)/.test(n));
    assert.deepEqual(unwanted, []);
  } finally {
    await folder.cleanup();
  }
});

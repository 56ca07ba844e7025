// Where the bundles find what esbuild.mjs copies beside them: the wasm binaries and OpenCV.js
// in dist/; under tsx (no copies beside the sources) the packages' own files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { bundledWasmFolder, WASM_BINARY_MARKER } from '../../../src/engine/backend/wasm-binaries';
import { BUNDLED_OPENCV_FILE, openCvModule } from '../../../src/engine/complexity/opencv';
import { repoRoot, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

test('the wasm binaries and OpenCV.js load from beside the module when copies lie there, else from their packages', async () => {
  const folder = await tempFolder();
  try {
    assert.equal(bundledWasmFolder(folder.path), undefined);
    assert.equal(openCvModule(folder.path), '@techstark/opencv-js');
    writeFileSync(join(folder.path, WASM_BINARY_MARKER), '');
    writeFileSync(join(folder.path, BUNDLED_OPENCV_FILE), '');
    assert.equal(bundledWasmFolder(folder.path), join(folder.path, sep));
    assert.ok(bundledWasmFolder(folder.path)!.endsWith(sep), 'setWasmPaths concatenates the prefix with the file name');
    assert.equal(openCvModule(folder.path), join(folder.path, BUNDLED_OPENCV_FILE));
  } finally {
    await folder.cleanup();
  }
});

test('the build puts the wasm binaries and OpenCV.js where the bundles look', () => {
  requireBuilt();
  const dist = join(repoRoot, 'dist');
  assert.equal(bundledWasmFolder(dist), join(dist, sep));
  assert.equal(openCvModule(dist), join(dist, BUNDLED_OPENCV_FILE));
  // under tsx, from the sources: the packages
  assert.equal(bundledWasmFolder(join(repoRoot, 'src', 'engine', 'backend')), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatasetError, indexDataset } from '../../../src/engine/data/dataset';
import { checkPatchFits, cropSample, PatchSizeError, patchesPerImage, randomCrop, tileOrigins } from '../../../src/engine/data/patches';
import { loadSamples, type SegmentationSample } from '../../../src/engine/data/samples';
import { SeededRandom } from '../../../src/engine/util/random';
import { tempFolder, writeGrayPng } from '../../helpers/tmp';

/** An RGB sample whose pixel (x, y) holds x, 100 + y, 200 + x + y in its channels, and mask 1 where x > y. */
function coordinateSample(widthPx: number, heightPx: number): SegmentationSample {
  const image = new Float32Array(widthPx * heightPx * 3);
  const mask = new Uint8Array(widthPx * heightPx);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      const p = y * widthPx + x;
      image.set([x, 100 + y, 200 + x + y], p * 3);
      mask[p] = x > y ? 1 : 0;
    }
  }
  return { id: 'coords', widthPx, heightPx, channels: 3, image, mask };
}

test('tile origins cover the axis on a grid whose last tile meets the far edge', () => {
  assert.deepEqual(tileOrigins(512, 128), [0, 128, 256, 384]);
  assert.deepEqual(tileOrigins(565, 128), [0, 128, 256, 384, 437]);
  assert.deepEqual(tileOrigins(128, 128), [0]);
  assert.deepEqual(tileOrigins(20, 8), [0, 8, 12]);
  assert.throws(() => tileOrigins(100, 128), PatchSizeError);
});

test('patches per image and epoch cover the image area once: ceil(W H / p^2)', () => {
  assert.equal(patchesPerImage({ widthPx: 512, heightPx: 512 }, 128), 16);
  // DRIVE: 565 x 584 = 329960 pixels, / 16384 = 20.14
  assert.equal(patchesPerImage({ widthPx: 565, heightPx: 584 }, 128), 21);
  assert.equal(patchesPerImage({ widthPx: 128, heightPx: 128 }, 128), 1);
});

test('a crop takes the pixels and mask at its place, every channel', () => {
  const sample = coordinateSample(6, 5);
  const crop = cropSample(sample, 2, 1, 3);
  assert.equal(crop.widthPx, 3);
  assert.equal(crop.heightPx, 3);
  // top-left of the crop is (2, 1), bottom-right (4, 3)
  assert.deepEqual([...crop.image.slice(0, 3)], [2, 101, 203]);
  assert.deepEqual([...crop.image.slice(-3)], [4, 103, 207]);
  // mask rows: y=1: x=2,3,4 > 1 -> 1 1 1; y=2: 0 1 1; y=3: 0 0 1
  assert.deepEqual([...crop.mask], [1, 1, 1, 0, 1, 1, 0, 0, 1]);
  assert.throws(() => cropSample(sample, 4, 0, 3), /outside/);
});

test('random crops stay inside the image and keep image and mask aligned', () => {
  const sample = coordinateSample(40, 30);
  const random = new SeededRandom(3);
  const corners = new Set<string>();
  for (let k = 0; k < 200; k++) {
    const crop = randomCrop(sample, 16, random);
    const left = crop.image[0]!;
    const top = crop.image[1]! - 100;
    assert.ok(left >= 0 && left <= 24 && top >= 0 && top <= 14, `corner (${left}, ${top}) out of range`);
    corners.add(`${left},${top}`);
    for (let p = 0; p < 16 * 16; p++) assert.equal(crop.mask[p], crop.image[p * 3]! > crop.image[p * 3 + 1]! - 100 ? 1 : 0);
  }
  assert.ok(corners.size > 100, 'crops start at many places');
});

test('a patch larger than an image is refused, naming the image', () => {
  assert.throws(() => checkPatchFits([coordinateSample(40, 30)], 32, 'dataset toy'), /dataset toy: image coords is 40x30, smaller than patch 32/);
  assert.doesNotThrow(() => checkPatchFits([coordinateSample(40, 30)], 30));
});

test('a dataset with patches keeps each image at its own size and refuses a patch that does not fit', async () => {
  const dir = await tempFolder();
  try {
    await writeGrayPng(join(dir.path, 'images/a.png'), 48, 40, (x) => x);
    await writeGrayPng(join(dir.path, 'masks/a.png'), 48, 40, (x) => (x > 20 ? 255 : 0));
    await writeGrayPng(join(dir.path, 'images/b.png'), 36, 44, (_x, y) => y);
    await writeGrayPng(join(dir.path, 'masks/b.png'), 36, 44, () => 0);
    const index = await indexDataset({ name: 'mixed', path: dir.path, patchPx: 32 });
    assert.equal(index.patchPx, 32);
    const samples = await loadSamples(index);
    assert.deepEqual(samples.map((s) => [s.widthPx, s.heightPx]), [[48, 40], [36, 44]]);
    await assert.rejects(indexDataset({ name: 'mixed', path: dir.path, patchPx: 40 }), (e: unknown) => e instanceof DatasetError && /image images\/b.png is 36x44, smaller than patch 40; give a smaller patch/.test(e.message));
    await assert.rejects(indexDataset({ name: 'mixed', path: dir.path, sizePx: 32, patchPx: 64 }), /patch 64 is larger than the working size 32/);
    const resized = await loadSamples(await indexDataset({ name: 'mixed', path: dir.path, sizePx: 64, patchPx: 32 }));
    assert.deepEqual(resized.map((s) => [s.widthPx, s.heightPx]), [[64, 64], [64, 64]]);
  } finally {
    await dir.cleanup();
  }
});

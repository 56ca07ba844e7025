import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { indexDataset } from '../../../src/engine/data/dataset';
import { binarizeMask, loadSamples } from '../../../src/engine/data/samples';
import { tempFolder, writeGrayPng } from '../../helpers/tmp';

test('masks: above 127 is foreground; a 0/1 mask is foreground where 1', () => {
  assert.deepEqual([...binarizeMask(Uint8Array.from([0, 127, 128, 255]))], [0, 0, 1, 1]);
  assert.deepEqual([...binarizeMask(Uint8Array.from([0, 1, 1, 0]))], [0, 1, 1, 0]);
});

test('samples are floats in [0,1] and binary masks at the working size', async () => {
  const dir = await tempFolder();
  try {
    await writeGrayPng(join(dir.path, 'images/a.png'), 8, 8, (x) => x * 32);
    await writeGrayPng(join(dir.path, 'masks/a.png'), 8, 8, (x) => (x >= 4 ? 255 : 0));
    const index = await indexDataset({ name: 'toy', path: dir.path });
    const [sample] = await loadSamples(index);
    assert.equal(sample!.channels, 1);
    assert.equal(sample!.image.length, 64);
    assert.equal(sample!.image[1], Math.fround(32 / 255));
    assert.deepEqual([...sample!.mask.slice(0, 8)], [0, 0, 0, 0, 1, 1, 1, 1]);
    const [small] = await loadSamples(index, { sizePx: 4 });
    assert.equal(small!.widthPx, 4);
    assert.deepEqual(new Set(small!.mask), new Set([0, 1]), 'nearest-neighbour keeps masks binary');
  } finally {
    await dir.cleanup();
  }
});

test('images of different sizes without a working size are an error that suggests one', async () => {
  const dir = await tempFolder();
  try {
    await writeGrayPng(join(dir.path, 'images/a.png'), 8, 8, () => 0);
    await writeGrayPng(join(dir.path, 'masks/a.png'), 8, 8, () => 0);
    await writeGrayPng(join(dir.path, 'images/b.png'), 10, 8, () => 0);
    await writeGrayPng(join(dir.path, 'masks/b.png'), 10, 8, () => 0);
    const index = await indexDataset({ name: 'mixed', path: dir.path });
    await assert.rejects(loadSamples(index), /different sizes .*give the dataset a working size, e.g. size 256/);
  } finally {
    await dir.cleanup();
  }
});

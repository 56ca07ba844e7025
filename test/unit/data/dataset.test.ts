import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError, indexDataset } from '../../../src/engine/data/dataset';
import { tempFolder, writeGrayPng } from '../../helpers/tmp';

test('pairs images with masks by file name and reads their size', async () => {
  const dir = await tempFolder();
  try {
    await writeGrayPng(join(dir.path, 'images/b.png'), 20, 10, () => 100);
    await writeGrayPng(join(dir.path, 'images/a.png'), 20, 10, () => 50);
    await writeGrayPng(join(dir.path, 'masks/a.png'), 20, 10, (x) => (x > 5 ? 255 : 0));
    await writeGrayPng(join(dir.path, 'masks/b.png'), 20, 10, () => 0);
    const index = await indexDataset({ name: 'toy', path: dir.path });
    assert.deepEqual(index.pairs.map((p) => p.id), ['a', 'b']);
    assert.equal(index.pairs[0]!.widthPx, 20);
    assert.equal(index.pairs[0]!.heightPx, 10);
    assert.ok(index.pairs[0]!.maskPath.endsWith(join('masks', 'a.png')));
  } finally {
    await dir.cleanup();
  }
});

test('a missing folder is an error naming it', async () => {
  await assert.rejects(indexDataset({ name: 'x', path: '/nonexistent/ccnet-data' }), (e: unknown) => {
    assert.ok(e instanceof DatasetError);
    assert.match(e.message, /folder \/nonexistent\/ccnet-data does not exist/);
    return true;
  });
});

test('an empty folder says it is empty', async () => {
  const dir = await tempFolder();
  try {
    await assert.rejects(indexDataset({ name: 'x', path: dir.path }), /no images match .* \(the folder is empty\)/);
  } finally {
    await dir.cleanup();
  }
});

test('images without masks are named', async () => {
  const dir = await tempFolder();
  try {
    await writeGrayPng(join(dir.path, 'images/a.png'), 8, 8, () => 1);
    await writeGrayPng(join(dir.path, 'images/b.png'), 8, 8, () => 1);
    await writeGrayPng(join(dir.path, 'masks/a.png'), 8, 8, () => 0);
    await assert.rejects(indexDataset({ name: 'x', path: dir.path }), /1 image\(s\) have no mask with the same name: images\/b\.png/);
  } finally {
    await dir.cleanup();
  }
});

test('a mask of another size is an error naming both files', async () => {
  const dir = await tempFolder();
  try {
    await writeGrayPng(join(dir.path, 'images/a.png'), 8, 8, () => 1);
    await writeGrayPng(join(dir.path, 'masks/a.png'), 9, 8, () => 0);
    await assert.rejects(indexDataset({ name: 'x', path: dir.path }), /mask masks\/a\.png is 9x8 but image images\/a\.png is 8x8/);
  } finally {
    await dir.cleanup();
  }
});

test('an unreadable image is skipped and named; the rest is used', async () => {
  const dir = await tempFolder();
  try {
    await writeGrayPng(join(dir.path, 'images/a.png'), 8, 8, () => 1);
    await writeGrayPng(join(dir.path, 'masks/a.png'), 8, 8, () => 0);
    await mkdir(join(dir.path, 'images'), { recursive: true });
    await writeFile(join(dir.path, 'images/broken.png'), 'this is not a png');
    await writeGrayPng(join(dir.path, 'masks/broken.png'), 8, 8, () => 0);
    const index = await indexDataset({ name: 'x', path: dir.path });
    assert.equal(index.pairs.length, 1);
    assert.equal(index.skipped.length, 1);
    assert.match(index.skipped[0]!.path, /broken\.png$/);
    assert.match(index.skipped[0]!.reason, /cannot read image .*broken\.png/);
  } finally {
    await dir.cleanup();
  }
});

test('custom globs select other folders', async () => {
  const dir = await tempFolder();
  try {
    await writeGrayPng(join(dir.path, 'raw/x1.png'), 8, 8, () => 1);
    await writeGrayPng(join(dir.path, 'labels/x1.png'), 8, 8, () => 0);
    const index = await indexDataset({ name: 'x', path: dir.path, imagesGlob: 'raw/*.png', masksGlob: 'labels/*.png' });
    assert.equal(index.pairs.length, 1);
  } finally {
    await dir.cleanup();
  }
});

test('the real ISBI 2012 EM dataset indexes to 30 pairs of 512x512', async () => {
  const index = await indexDataset({ name: 'em', path: join(import.meta.dirname, '../../../../shared/datasets/isbi2012-em') });
  assert.equal(index.pairs.length, 30);
  assert.equal(index.pairs[0]!.widthPx, 512);
});

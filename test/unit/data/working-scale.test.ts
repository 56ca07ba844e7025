import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError, indexDataset } from '../../../src/engine/data/dataset';
import { loadSamples } from '../../../src/engine/data/samples';
import { autoScaleFactor } from '../../../src/engine/data/working-scale';
import { tempFolder, writeGrayPng } from '../../helpers/tmp';

test('scale auto: f = min(1, max(P/4 / thickness, P / shortest side)), by hand', () => {
  // a dermoscopy-like dataset: lesions 250 px thick in 765x575 images, patch 128:
  // 32/250 = 0.128 would make the images 74 px high, so the shortest side decides: 128/575 = 0.2226
  assert.equal(autoScaleFactor(250, 575, 128), 0.223);
  // glands 102 px thick, shortest side 430: 32/102 = 0.3137 > 128/430 = 0.2977
  assert.equal(autoScaleFactor(102, 430, 128), 0.314);
  // membranes 10 px thick are never enlarged
  assert.equal(autoScaleFactor(10, 512, 128), 1);
  // masks without foreground: nothing to fit
  assert.equal(autoScaleFactor(0, 512, 128), 1);
  // 128/383 = 0.33420 rounds to 0.334, and 383 x 0.334 = 127.9 would round to 128: kept;
  // 128/385 = 0.33247 rounds to 0.332, 385 x 0.332 = 127.8 -> 128 too; 128/389 = 0.32905 -> 0.329 x 389 = 127.98 -> 128
  for (const side of [383, 385, 389, 391, 997]) assert.ok(Math.round(side * autoScaleFactor(1000, side, 128)) >= 128, `side ${side}`);
});

test('scale auto brings thick structures down to a quarter of the patch and keeps the aspect ratio', async () => {
  const dir = await tempFolder();
  try {
    // 300x200 images with a horizontal band 60 px high (rows 70..129), across the whole width
    for (const id of ['a', 'b']) {
      await writeGrayPng(join(dir.path, `images/${id}.png`), 300, 200, (_x, y) => (y >= 70 && y < 130 ? 200 : 40));
      await writeGrayPng(join(dir.path, `masks/${id}.png`), 300, 200, (_x, y) => (y >= 70 && y < 130 ? 255 : 0));
    }
    const index = await indexDataset({ name: 'bands', path: dir.path, patchPx: 32, scale: 'auto' });
    // a 60 px band is about 60 thick (4 x mean distance 15.5 = 62): 8/62 = 0.13 would leave the images
    // 26 px high, under the patch, so the shortest side decides: 32/200 = 0.16
    assert.ok(index.autoScale!.nativeThicknessPx > 55 && index.autoScale!.nativeThicknessPx < 66, `thickness ${index.autoScale!.nativeThicknessPx}`);
    assert.equal(index.autoScale!.shortestSidePx, 200);
    assert.equal(index.scale, 0.16);
    const samples = await loadSamples(index);
    assert.equal(samples[0]!.widthPx, 48);
    assert.equal(samples[0]!.heightPx, 32);
    // the band is now 60 x 0.16 = 9.6 px high: count its rows in the loaded mask (first column)
    let bandRows = 0;
    for (let y = 0; y < 32; y++) bandRows += samples[0]!.mask[y * 48]!;
    assert.ok(bandRows >= 9 && bandRows <= 11, `band rows ${bandRows}`);
  } finally {
    await dir.cleanup();
  }
});

test('scale auto needs a patch, and a scale does not go with a working size', async () => {
  const dir = await tempFolder();
  try {
    await writeGrayPng(join(dir.path, 'images/a.png'), 64, 64, () => 100);
    await writeGrayPng(join(dir.path, 'masks/a.png'), 64, 64, (x) => (x > 30 ? 255 : 0));
    await assert.rejects(indexDataset({ name: 'd', path: dir.path, scale: 'auto' }), (e: unknown) => e instanceof DatasetError && /scale auto .* give patch N/.test(e.message));
    await assert.rejects(indexDataset({ name: 'd', path: dir.path, scale: 0.5, sizePx: 32 }), (e: unknown) => e instanceof DatasetError && /size N\) or a scale, not both/.test(e.message));
    await assert.rejects(indexDataset({ name: 'd', path: dir.path, scale: 1.5 }), (e: unknown) => e instanceof DatasetError && /must be above 0 and at most 1/.test(e.message));
    const half = await indexDataset({ name: 'd', path: dir.path, scale: 0.5 });
    const [sample] = await loadSamples(half);
    assert.equal(sample!.widthPx, 32);
    assert.equal(sample!.heightPx, 32);
  } finally {
    await dir.cleanup();
  }
});

test('scale auto keeps the masks thickness in its cache folder, keyed by the masks bytes', async () => {
  const dir = await tempFolder();
  try {
    const band = (y: number) => y >= 70 && y < 130;
    for (const id of ['a', 'b']) {
      await writeGrayPng(join(dir.path, `images/${id}.png`), 300, 200, (_x, y) => (band(y) ? 200 : 40));
      await writeGrayPng(join(dir.path, `masks/${id}.png`), 300, 200, (_x, y) => (band(y) ? 255 : 0));
    }
    const cacheDir = join(dir.path, 'cache');
    const spec = { name: 'bands', path: dir.path, patchPx: 32, scale: 'auto' as const, scaleCacheDir: cacheDir };
    const first = await indexDataset(spec);
    const entries = (await readdir(cacheDir)).filter((f) => f.endsWith('.json'));
    assert.equal(entries.length, 1);
    const entryPath = join(cacheDir, entries[0]!);
    assert.equal(JSON.parse(await readFile(entryPath, 'utf8')).nativeThicknessPx, first.autoScale!.nativeThicknessPx);
    // a hit reads the entry, not the masks: a planted thickness of 16 px gives 8/16 = 0.5
    await writeFile(entryPath, JSON.stringify({ nativeThicknessPx: 16 }));
    const hit = await indexDataset(spec);
    assert.equal(hit.autoScale!.nativeThicknessPx, 16);
    assert.equal(hit.scale, 0.5);
    // one mask changed (the band 2 rows lower): a new key, measured afresh
    await writeGrayPng(join(dir.path, 'masks/b.png'), 300, 200, (_x, y) => (y >= 72 && y < 132 ? 255 : 0));
    const changed = await indexDataset(spec);
    assert.ok(Math.abs(changed.autoScale!.nativeThicknessPx - first.autoScale!.nativeThicknessPx) < 1, `thickness ${changed.autoScale!.nativeThicknessPx}`);
    assert.equal(changed.scale, 0.16);
    assert.equal((await readdir(cacheDir)).filter((f) => f.endsWith('.json')).length, 2);
    // a damaged entry (half a file) counts as a miss and is written again
    await writeFile(entryPath, '{"nativeThick');
    await writeGrayPng(join(dir.path, 'masks/b.png'), 300, 200, (_x, y) => (band(y) ? 255 : 0));
    const repaired = await indexDataset(spec);
    assert.equal(repaired.autoScale!.nativeThicknessPx, first.autoScale!.nativeThicknessPx);
    assert.equal(JSON.parse(await readFile(entryPath, 'utf8')).nativeThicknessPx, first.autoScale!.nativeThicknessPx);
  } finally {
    await dir.cleanup();
  }
});

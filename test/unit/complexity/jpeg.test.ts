import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../../src/engine/data/imageio';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jpegComplexity, jpegEncodedBytes } from '../../../src/engine/complexity/jpeg';
import { SeededRandom } from '../../../src/engine/util/random';
import type { DecodedImage } from '../../../src/engine/data/imageio';

function gray(width: number, height: number, value: (x: number, y: number) => number): DecodedImage {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = value(x, y);
  return { width, height, channels: 1, pixels };
}

test('J is the JPEG size divided by the raw size', async () => {
  const image = gray(64, 64, (x) => x * 4);
  const bytes = await jpegEncodedBytes(image);
  assert.equal(await jpegComplexity.compute(image), bytes / 4096);
});

test('a flat image has a small J, noise a large one, and more noise a larger one', async () => {
  const random = new SeededRandom(1);
  const flat = await jpegComplexity.compute(gray(128, 128, () => 128));
  const mild = await jpegComplexity.compute(gray(128, 128, () => 128 + Math.round(8 * random.normal())));
  const strong = await jpegComplexity.compute(gray(128, 128, () => Math.floor(random.next() * 256)));
  assert.ok(flat < 0.05, `flat J ${flat}`);
  assert.ok(mild > flat && strong > mild, `J ${flat} < ${mild} < ${strong}`);
  assert.ok(strong > 0.5, `uniform noise J ${strong}`);
});

test('colour images are measured per pixel, like gray ones (JPEG bytes / (W x H))', async () => {
  const pixels = new Uint8Array(32 * 32 * 3).fill(200);
  const j = await jpegComplexity.compute({ width: 32, height: 32, channels: 3, pixels });
  assert.equal(j, (await jpegEncodedBytes({ width: 32, height: 32, channels: 3, pixels })) / (32 * 32));
});

/** The shared real datasets (../shared/datasets from the main checkout), or CCNET_DATASETS. */
const DATASETS_DIR = [process.env['CCNET_DATASETS'], join(process.cwd(), '..', 'shared', 'datasets'), '/work/shared/datasets'].find((p): p is string => !!p && existsSync(join(p, 'glas-glands')));

test("J reproduces the paper's Table 1 on GlaS (0.2401) within 10%", { skip: DATASETS_DIR ? false : 'no shared datasets folder' }, async () => {
  // the paper's "Glands" are GlaS (MICCAI 2015); this copy is its training set at native resolution
  const dir = join(DATASETS_DIR!, 'glas-glands', 'images');
  const values = [];
  for (const file of readdirSync(dir).sort()) values.push(await jpegComplexity.compute(await decodeImage(join(dir, file), { maxSidePx: 1024 })));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(mean - 0.2401) / 0.2401 < 0.1, `GlaS J ${mean}, Table 1 0.2401`);
  // bytes per uncompressed byte (W x H x 3) would read three times simpler, far outside 10%
  assert.ok(Math.abs(mean / 3 - 0.2401) / 0.2401 > 0.5);
});

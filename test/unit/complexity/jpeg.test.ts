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

test('colour images are measured per byte of all three channels', async () => {
  const pixels = new Uint8Array(32 * 32 * 3).fill(200);
  const j = await jpegComplexity.compute({ width: 32, height: 32, channels: 3, pixels });
  assert.equal(j, (await jpegEncodedBytes({ width: 32, height: 32, channels: 3, pixels })) / (32 * 32 * 3));
});

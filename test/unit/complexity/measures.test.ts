import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedImage } from '../../../src/engine/data/imageio';
import { SeededRandom } from '../../../src/engine/util/random';
import { blobDensity, circleOverlapFraction, detectBlobs } from '../../../src/engine/complexity/blob-density';
import { meanGradientPerLevel } from '../../../src/engine/complexity/gradient-pyramid';
import { countKeypoints, keypointDensity } from '../../../src/engine/complexity/keypoint-density';
import { MEASURES } from '../../../src/engine/complexity/registry';
import { acEnergyPerPixel, signalEnergy } from '../../../src/engine/complexity/signal-energy';
import { histogramEntropyBits, meanSubbandEntropy, visualClutter } from '../../../src/engine/complexity/visual-clutter';

function gray(width: number, height: number, value: (x: number, y: number) => number): DecodedImage {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = Math.max(0, Math.min(255, Math.round(value(x, y))));
  return { width, height, channels: 1, pixels };
}

function rgb(width: number, height: number, value: (x: number, y: number, c: number) => number): DecodedImage {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) pixels[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(value(x, y, c))));
  return { width, height, channels: 3, pixels };
}

const random = new SeededRandom(7);
const flat = gray(128, 128, () => 120);
const noise = gray(128, 128, () => random.next() * 256);

test('a flat image has zero edges, clutter, energy, keypoints and blobs', async () => {
  for (const measure of MEASURES.filter((m) => m.id !== 'j')) {
    assert.equal(await measure.compute(flat), 0, `${measure.id} of a flat image`);
  }
});

test('noise raises every measure above the flat image', async () => {
  for (const measure of MEASURES) {
    const a = await measure.compute(flat);
    const b = await measure.compute(noise);
    assert.ok(b > a, `${measure.id}: noise ${b} > flat ${a}`);
  }
});

test('N separated Gaussian blobs give N blobs at about their scale', async () => {
  // 3 x 4 grid of dark and bright blobs, sigma 4 px, contrast 0.4, 60 px apart, on gray
  const centres: [number, number, number][] = [];
  for (let row = 0; row < 3; row++) for (let col = 0; col < 4; col++) centres.push([40 + col * 60, 40 + row * 60, (row + col) % 2 ? 1 : -1]);
  const image = gray(260, 200, (x, y) => 128 + centres.reduce((s, [cx, cy, sign]) => s + sign * 100 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 16)), 0));
  const blobs = await detectBlobs(image);
  assert.equal(blobs.length, centres.length, `found ${blobs.length} blobs: ${JSON.stringify(blobs.map((b) => [Math.round(b.x), Math.round(b.y), b.sigma.toFixed(1)]))}`);
  for (const [cx, cy, sign] of centres) {
    const match = blobs.find((b) => Math.hypot(b.x - cx, b.y - cy) <= 2);
    assert.ok(match, `a blob at (${cx}, ${cy})`);
    assert.ok(match.sigma >= 2.8 && match.sigma <= 6.5, `sigma ${match.sigma} near 4`);
    assert.equal(Math.sign(match.response), sign);
  }
  assert.equal(await blobDensity.compute(image), centres.length / ((260 * 200) / 1024));
});

test('a straight edge or a line is not a blob', async () => {
  assert.equal((await detectBlobs(gray(128, 128, (x) => (x < 64 ? 60 : 200)))).length, 0);
  assert.equal((await detectBlobs(gray(128, 128, (x) => (Math.abs(x - 64) < 2 ? 220 : 60)))).length, 0);
});

test('disc overlap fraction: apart, nested, and half-covered', () => {
  assert.equal(circleOverlapFraction(2, 3, 5), 0);
  assert.equal(circleOverlapFraction(1, 3, 1), 1);
  // two unit discs at distance d: lens area 2 acos(d/2) - (d/2) sqrt(4 - d^2)
  const d = 0.8;
  const lens = 2 * Math.acos(d / 2) - (d / 2) * Math.sqrt(4 - d * d);
  assert.ok(Math.abs(circleOverlapFraction(1, 1, d) - lens / Math.PI) < 1e-12);
});

test('signal energy is the intensity variance in [0,1] units', async () => {
  const halves = gray(10, 10, (x) => (x < 5 ? 0 : 255));
  assert.equal(await signalEnergy.compute(halves), 0.25);
  assert.ok(Math.abs(acEnergyPerPixel(new Uint8Array([0, 51, 102])) - 2 / 3 / 25) < 1e-12);
});

test('Sobel and Scharr read the slope of a ramp at the finest level', async () => {
  const ramp = gray(64, 64, (x, y) => 2 * x + y); // slope (2, 1) gray levels per px
  const expected = Math.hypot(2, 1) / 255;
  for (const operator of ['sobel', 'scharr'] as const) {
    const levels = await meanGradientPerLevel(ramp, operator);
    assert.equal(levels.length, 4);
    // interior pixels see the exact slope; the reflected border row/column sees half of it
    assert.ok(Math.abs(levels[0]! - expected) < 0.06 * expected, `${operator} level 0: ${levels[0]} vs ${expected}`);
    assert.ok(levels[1]! > 1.7 * expected, `${operator}: a coarser level sees about twice the slope per px`);
  }
});

test('histogram entropy: equal counts in every bin give log2(bins), one value gives 0', () => {
  const values = new Float32Array(100); // 10 bins
  for (let i = 0; i < 100; i++) values[i] = i % 10;
  assert.ok(Math.abs(histogramEntropyBits(values) - Math.log2(10)) < 1e-12);
  assert.equal(histogramEntropyBits(new Float32Array(50).fill(3)), 0);
});

test('subband entropy: columns 0,100,0,0 repeated put one bit in the vertical band only', () => {
  const width = 64;
  const columns = [0, 100, 0, 0];
  const image = new Float32Array(width * width);
  for (let p = 0; p < image.length; p++) image[p] = columns[(p % width) % 4]!;
  // level 1: vertical detail alternates -100 and 0 (1 bit), horizontal and diagonal are 0
  assert.ok(Math.abs(meanSubbandEntropy(image, width, width, 1) - 1 / 3) < 1e-12);
  assert.equal(meanSubbandEntropy(new Float32Array(width * width).fill(9), width, width), 0);
});

test('colour clutter: chroma adds, weighted 1/16, to the luminance entropy', async () => {
  const r = new SeededRandom(3);
  const colourNoise = rgb(64, 64, () => r.next() * 256);
  const grayNoise = gray(64, 64, () => new SeededRandom(4).next() * 256);
  const c = await visualClutter.compute(colourNoise);
  assert.ok(c > 3 && Number.isFinite(c), `colour noise clutter ${c}`);
  assert.ok((await visualClutter.compute(grayNoise)) >= 0);
});

test('keypoints: FAST finds the corners of squares and none on flat or smooth images', async () => {
  // four 24 px bright squares on dark: 16 corners; a faint texture breaks the exact ties that
  // OpenCV's non-maximum suppression would otherwise drop (it keeps strict maxima only)
  const squares = gray(128, 128, (x, y) => (x % 64 >= 20 && x % 64 < 44 && y % 64 >= 20 && y % 64 < 44 ? 200 : 40) + ((7 * x + 13 * y) % 5));
  const corners = await countKeypoints(squares);
  assert.ok(corners >= 12 && corners <= 32, `corners of 4 squares: ${corners}`);
  assert.equal(await countKeypoints(gray(128, 128, (x) => x)), 0);
  assert.equal(await keypointDensity.compute(squares), corners / 16);
});

test('every registered measure has an id, a version and a unique id', () => {
  const ids = MEASURES.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const m of MEASURES) assert.ok(Number.isInteger(m.version) && m.version >= 1, m.id);
  assert.deepEqual(ids, ['j', 'b', 'energy', 'sobel', 'scharr', 'keypoints', 'clutter']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSyntheticPair, validateSyntheticOptions } from '../../../src/engine/data/synthetic';
import { jpegComplexity } from '../../../src/engine/complexity/jpeg';

const base = { complexity: 0.5, count: 4, sizePx: 64, seed: 3 };

test('the same seed gives the same pair; another seed another', () => {
  const a = generateSyntheticPair(base, 1);
  const b = generateSyntheticPair(base, 1);
  const c = generateSyntheticPair({ ...base, seed: 4 }, 1);
  assert.deepEqual(a.image, b.image);
  assert.notDeepEqual(a.image, c.image);
});

test('masks are exactly binary and cover part of the image', () => {
  const { mask } = generateSyntheticPair(base, 0);
  const values = new Set(mask);
  assert.deepEqual([...values].sort((x, y) => x - y), [0, 255]);
  const fraction = mask.filter((v) => v === 255).length / mask.length;
  assert.ok(fraction > 0.05 && fraction < 0.9, `foreground fraction ${fraction}`);
});

test('cells are brighter than the background on average', () => {
  const { image, mask } = generateSyntheticPair(base, 2);
  let fg = 0, fgN = 0, bg = 0, bgN = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p]) { fg += image[p]!; fgN++; } else { bg += image[p]!; bgN++; }
  }
  assert.ok(fg / fgN > bg / bgN + 20);
});

test('JPEG complexity rises with the complexity parameter', async () => {
  const j = async (complexity: number) => {
    let sum = 0;
    for (let i = 0; i < 3; i++) {
      const { image } = generateSyntheticPair({ ...base, complexity, sizePx: 128 }, i);
      sum += await jpegComplexity.compute({ width: 128, height: 128, channels: 1, pixels: image });
    }
    return sum / 3;
  };
  const low = await j(0);
  const mid = await j(0.5);
  const high = await j(1);
  assert.ok(low < mid && mid < high, `J: ${low} ${mid} ${high}`);
});

test('bad options are named', () => {
  assert.throws(() => validateSyntheticOptions({ ...base, complexity: 1.5 }), /complexity 1.5 must be between 0 and 1/);
  assert.throws(() => validateSyntheticOptions({ ...base, count: 0 }), /count 0/);
  assert.throws(() => validateSyntheticOptions({ ...base, sizePx: 10 }), /size 10/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countComponents, distanceToBackground, maskMeasures } from '../../../src/engine/complexity/mask-measures';

function maskOf(rows: string[]) {
  const heightPx = rows.length;
  const widthPx = rows[0]!.length;
  const mask = new Uint8Array(widthPx * heightPx);
  rows.forEach((r, y) => [...r].forEach((c, x) => (mask[y * widthPx + x] = c === '#' ? 1 : 0)));
  return { widthPx, heightPx, mask };
}

test('mask measures of a 3-pixel-wide horizontal bar, counted by hand', () => {
  const m = maskOf(['..........', '.########.', '.########.', '.########.', '..........']);
  const r = maskMeasures(m);
  assert.equal(r.foreground, 24 / 50);
  // boundary: the top and bottom rows (8 + 8) and the middle row's two ends: 18 of 24
  assert.equal(r.boundary, 18 / 24);
  // distances: top and bottom rows 1, middle row 2 except its ends (1): (8 + 8 + 6 x 2 + 2) / 24 = 30 / 24
  assert.ok(Math.abs(r.thickness - (4 * 30) / 24) < 1e-12);
  assert.equal(r.objects, 1e6 / 50);
});

test('components are 8-connected: a diagonal is one object, separated blobs are two', () => {
  assert.equal(countComponents(maskOf(['#..', '.#.', '..#'])), 1);
  assert.equal(countComponents(maskOf(['##...', '##...', '....#'])), 2);
  assert.equal(countComponents(maskOf(['#.#.#', '.....', '#.#.#'])), 6);
});

test('the distance transform is Euclidean and treats outside the image as background', () => {
  const m = maskOf(['#####', '#####', '#####', '#####', '#####']);
  const d = distanceToBackground(m);
  assert.equal(d[12], 3); // centre of a 5x5 square: 3 pixels from the outside on every side
  assert.equal(d[0], 1);
  const hole = maskOf(['#####', '#####', '##.##', '#####', '#####']);
  const dh = distanceToBackground(hole);
  assert.equal(dh[12], 0);
  assert.ok(Math.abs(dh[6]! - Math.SQRT2) < 1e-12); // diagonal neighbour of the hole
  assert.equal(dh[7], 1);
});

test('an empty mask has no foreground and no objects', () => {
  const r = maskMeasures(maskOf(['....', '....']));
  assert.equal(r.foreground, 0);
  assert.equal(r.objects, 0);
  assert.ok(Number.isNaN(r.thickness));
});

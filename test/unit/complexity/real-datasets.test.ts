import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../../src/engine/data/imageio';
import { MEASURES } from '../../../src/engine/complexity/registry';

/** The shared real datasets (../shared/datasets from the main checkout), or CCNET_DATASETS. */
const DATASETS_DIR = [process.env['CCNET_DATASETS'], join(process.cwd(), '..', 'shared', 'datasets'), '/work/shared/datasets'].find(
  (p): p is string => !!p && existsSync(p),
);

/** Documented ranges of each measure (see each module's doc comment); a value outside means a broken measure. */
const RANGES: Record<string, [number, number]> = {
  j: [0.005, 1],
  b: [0.01, 10],
  energy: [1e-5, 0.25],
  sobel: [1e-3, 0.5],
  scharr: [1e-3, 0.5],
  keypoints: [0.01, 200],
  clutter: [0.5, 9],
};

test('every measure gives finite values in its documented range on the shared real datasets', { skip: DATASETS_DIR ? false : 'no shared datasets folder' }, async () => {
  const names = readdirSync(DATASETS_DIR!).filter((n) => existsSync(join(DATASETS_DIR!, n, 'images')));
  assert.ok(names.length >= 1);
  for (const name of names) {
    const dir = join(DATASETS_DIR!, name, 'images');
    const file = readdirSync(dir).sort()[0]!;
    const image = await decodeImage(join(dir, file), { maxSidePx: 1024 });
    for (const measure of MEASURES) {
      const value = await measure.compute(image);
      const [low, high] = RANGES[measure.id]!;
      assert.ok(Number.isFinite(value) && value >= low && value <= high, `${name}/${file} ${measure.id} = ${value}, expected ${low}..${high}`);
    }
  }
});

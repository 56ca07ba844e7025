/**
 * The patches a patch network (dcnn, dccn) trains on: P x P windows of an image labelled by the
 * mask at their labelled pixel (../models/dense.ts: the centre for odd P).
 *
 * - Candidate centres: the pixels on a grid of stride PATCH_GRID_STRIDE_PX in every image,
 *   starting at floor(stride / 2) in both directions. Windows that reach past the border read
 *   the image reflected at its edges (as dense prediction pads it), so every pixel can be one.
 * - The pool: the study balanced its classes, so the pool holds every candidate of the rarer
 *   class (cell or background) and as many of the other, drawn by a shuffle seeded by `seed`.
 *   N_p = the pool's size (twice the rarer class's candidates).
 * - A share r of it (the study's N_tr = r x N_p): N_tr = max(1, round(r x N_p)) patches,
 *   ceil(N_tr / 2) cell and floor(N_tr / 2) background ones, each the first of a shuffle of its
 *   class seeded by the seed and r, so it stays balanced at every r.
 * - Augmentation: one of the 8 flips and quarter turns of the image about the labelled pixel
 *   (the window of the transformed image, so for even P its content is not the transformed
 *   window's, but it is a window of a real image with the right label).
 */
import { SeededRandom, shuffledIndices } from '../util/random';

export const PATCH_GRID_STRIDE_PX = 4;

export interface PatchCentre {
  /** Index of the image in the list the pool was made from. */
  image: number;
  y: number;
  x: number;
  /** The mask at the centre: 1 cell, 0 background. */
  label: 0 | 1;
}

export interface MaskedImage {
  id: string;
  widthPx: number;
  heightPx: number;
  mask: Uint8Array;
}

/** The balanced pool of patch centres (see above); throws when a class has no candidate. */
export function balancedPatchPool(images: readonly MaskedImage[], seed: number, stridePx = PATCH_GRID_STRIDE_PX): PatchCentre[] {
  const byClass: [PatchCentre[], PatchCentre[]] = [[], []];
  images.forEach((image, index) => {
    for (let y = Math.floor(stridePx / 2); y < image.heightPx; y += stridePx) {
      for (let x = Math.floor(stridePx / 2); x < image.widthPx; x += stridePx) {
        const label = image.mask[y * image.widthPx + x] ? 1 : 0;
        byClass[label].push({ image: index, y, x, label });
      }
    }
  });
  const rare = Math.min(byClass[0].length, byClass[1].length);
  if (rare === 0) {
    const missing = byClass[1].length === 0 ? 'cell (foreground)' : 'background';
    throw new RangeError(`the ${images.length} training image(s) have no ${missing} pixel on the patch grid (every ${stridePx} px), so there is no balanced set of patches to train a patch network on`);
  }
  const random = new SeededRandom(seed * 104729 + 7);
  const pick = (list: PatchCentre[]) => (list.length === rare ? list : shuffledIndices(list.length, random).slice(0, rare).sort((a, b) => a - b).map((i) => list[i]!));
  return [...pick(byClass[1]), ...pick(byClass[0])];
}

/** N_tr = max(1, round(r x N_p)) patches of the pool, balanced (see above). */
export function patchFraction(pool: readonly PatchCentre[], fraction: number, seed: number): PatchCentre[] {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`the share of patches r must be above 0 and at most 1, not ${fraction}`);
  const count = Math.max(1, Math.round(fraction * pool.length));
  if (count === pool.length) return [...pool];
  const cells = pool.filter((p) => p.label === 1);
  const background = pool.filter((p) => p.label === 0);
  const random = new SeededRandom(seed * 31 + Math.round(fraction * 1000));
  const first = (list: PatchCentre[], n: number) => shuffledIndices(list.length, random).slice(0, n).map((i) => list[i]!);
  return [...first(cells, Math.ceil(count / 2)), ...first(background, Math.floor(count / 2))];
}

/** Index i reflected into [0, n) (edge pixels not repeated: -1 -> 1, n -> n - 2). */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const k = ((i % period) + period) % period;
  return k < n ? k : period - k;
}

/** The offset (dy, dx) from the labelled pixel in the source for offset (py, px) of the patch under transform t (0..7). */
function sourceOffset(py: number, px: number, t: number): [number, number] {
  let [dy, dx] = [py, px];
  for (let k = 0; k < (t & 3); k++) [dy, dx] = [dx, -dy];
  return t & 4 ? [dy, -dx] : [dy, dx];
}

/**
 * The P x P x C window (row-major, channels interleaved) of an image whose labelled pixel
 * (row and column `labelOffset` of the window) is (cy, cx), reflected at the borders, under
 * transform t (0 = none; 1..7 flips and quarter turns about the labelled pixel).
 */
export function extractPatch(
  image: Float32Array,
  size: { widthPx: number; heightPx: number; channels: number },
  cy: number,
  cx: number,
  patchPx: number,
  labelOffset: number,
  t = 0,
  out = new Float32Array(patchPx * patchPx * size.channels),
): Float32Array {
  const { widthPx: w, heightPx: h, channels: c } = size;
  for (let py = 0; py < patchPx; py++) {
    for (let px = 0; px < patchPx; px++) {
      const [dy, dx] = t === 0 ? [py - labelOffset, px - labelOffset] : sourceOffset(py - labelOffset, px - labelOffset, t);
      const from = (reflectIndex(cy + dy, h) * w + reflectIndex(cx + dx, w)) * c;
      const to = (py * patchPx + px) * c;
      for (let k = 0; k < c; k++) out[to + k] = image[from + k]!;
    }
  }
  return out;
}

/** The image reflect-padded by `before` pixels at the top and left and `after` at the bottom and right. */
export function reflectPad(image: Float32Array, size: { widthPx: number; heightPx: number; channels: number }, before: number, after: number): Float32Array {
  const { widthPx: w, heightPx: h, channels: c } = size;
  const pw = w + before + after;
  const ph = h + before + after;
  const out = new Float32Array(pw * ph * c);
  for (let y = 0; y < ph; y++) {
    const sy = reflectIndex(y - before, h);
    for (let x = 0; x < pw; x++) {
      const from = (sy * w + reflectIndex(x - before, w)) * c;
      const to = (y * pw + x) * c;
      for (let k = 0; k < c; k++) out[to + k] = image[from + k]!;
    }
  }
  return out;
}

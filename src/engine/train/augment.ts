/**
 * Augmentation for segmentation: random horizontal and vertical flips and rotations by a
 * multiple of 90 degrees (square images only), applied identically to image and mask.
 * Elastic deformation is not implemented.
 */
import type { SegmentationSample } from '../data/samples';
import type { SeededRandom } from '../util/random';

export interface Transform {
  flipX: boolean;
  flipY: boolean;
  /** Quarter turns clockwise: 0..3 (0 for non-square images). */
  quarterTurns: number;
}

export function randomTransform(random: SeededRandom, square: boolean): Transform {
  return { flipX: random.next() < 0.5, flipY: random.next() < 0.5, quarterTurns: square ? random.integer(0, 3) : 0 };
}

/** Where output pixel (x, y) reads from in the source. */
function sourceIndex(x: number, y: number, size: { w: number; h: number }, t: Transform): number {
  let sx = x;
  let sy = y;
  // undo the rotation: a clockwise quarter turn maps (x, y) <- (y, n - 1 - x)
  for (let k = 0; k < t.quarterTurns; k++) {
    const nx = sy;
    const ny = size.w - 1 - sx;
    sx = nx;
    sy = ny;
  }
  if (t.flipX) sx = size.w - 1 - sx;
  if (t.flipY) sy = size.h - 1 - sy;
  return sy * size.w + sx;
}

export function applyTransform(sample: SegmentationSample, t: Transform): { image: Float32Array; mask: Uint8Array } {
  if (!t.flipX && !t.flipY && t.quarterTurns === 0) return { image: sample.image, mask: sample.mask };
  const { widthPx: w, heightPx: h, channels: c } = sample;
  const image = new Float32Array(sample.image.length);
  const mask = new Uint8Array(sample.mask.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const from = sourceIndex(x, y, { w, h }, t);
      const to = y * w + x;
      mask[to] = sample.mask[from]!;
      for (let k = 0; k < c; k++) image[to * c + k] = sample.image[from * c + k]!;
    }
  }
  return { image, mask };
}

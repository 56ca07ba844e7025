/**
 * Patches: training on square crops of images kept at their working resolution, instead of
 * shrinking whole images to the network's input. Thin structures (retinal vessels one or two
 * pixels wide, cell membranes) survive, and the network's input stays small.
 *
 * - A training epoch takes `patchesPerImage(sample, p)` = ceil(W * H / p^2) random p x p crops
 *   of every training image, so that an epoch covers each image's area once on average; each
 *   crop's top-left corner is uniform over the positions where the crop fits.
 * - Prediction on a whole image cuts it into p x p tiles at `tileOrigins` along each axis
 *   (a regular grid whose last tile is aligned with the far edge, so tiles overlap only there)
 *   and averages the overlapping probabilities (see ../train/predict.ts).
 */
import type { SeededRandom } from '../util/random';
import type { SegmentationSample } from './samples';

/** Thrown when a patch size does not fit a sample; names the sample and what to do. */
export class PatchSizeError extends RangeError {}

/** Checks that every sample is at least patchPx x patchPx. */
export function checkPatchFits(samples: readonly SegmentationSample[], patchPx: number, datasetName = 'the dataset'): void {
  if (!Number.isInteger(patchPx) || patchPx < 8) throw new PatchSizeError(`patch ${patchPx} is not a whole number of pixels of at least 8`);
  const small = samples.find((s) => s.widthPx < patchPx || s.heightPx < patchPx);
  if (small) {
    throw new PatchSizeError(
      `${datasetName}: image ${small.id} is ${small.widthPx}x${small.heightPx}, smaller than patch ${patchPx}; give a smaller patch or a larger working size`,
    );
  }
}

/** Random crops per image and epoch: ceil(W * H / p^2), at least 1. */
export function patchesPerImage(sample: { widthPx: number; heightPx: number }, patchPx: number): number {
  return Math.max(1, Math.ceil((sample.widthPx * sample.heightPx) / (patchPx * patchPx)));
}

/** The sizePx x sizePx crop of a sample whose top-left corner is (left, top). */
export function cropSample(sample: SegmentationSample, left: number, top: number, sizePx: number): SegmentationSample {
  const { widthPx: w, channels: c } = sample;
  if (left < 0 || top < 0 || left + sizePx > w || top + sizePx > sample.heightPx) {
    throw new RangeError(`crop ${sizePx}x${sizePx} at (${left}, ${top}) is outside ${sample.id} (${w}x${sample.heightPx})`);
  }
  if (left === 0 && top === 0 && sizePx === w && sizePx === sample.heightPx) return sample;
  const image = new Float32Array(sizePx * sizePx * c);
  const mask = new Uint8Array(sizePx * sizePx);
  for (let y = 0; y < sizePx; y++) {
    const from = (top + y) * w + left;
    image.set(sample.image.subarray(from * c, (from + sizePx) * c), y * sizePx * c);
    mask.set(sample.mask.subarray(from, from + sizePx), y * sizePx);
  }
  return { id: `${sample.id}@${left},${top}`, widthPx: sizePx, heightPx: sizePx, channels: c, image, mask };
}

/** A crop at a uniformly random position where it fits. */
export function randomCrop(sample: SegmentationSample, patchPx: number, random: SeededRandom): SegmentationSample {
  const left = random.integer(0, sample.widthPx - patchPx);
  const top = random.integer(0, sample.heightPx - patchPx);
  return cropSample(sample, left, top, patchPx);
}

/**
 * Tile starts along one axis of lengthPx for tiles of tilePx: 0, tilePx, 2 tilePx, ... and a
 * last tile at lengthPx - tilePx when the grid does not end exactly at the edge.
 */
export function tileOrigins(lengthPx: number, tilePx: number): number[] {
  if (tilePx > lengthPx) throw new PatchSizeError(`a tile of ${tilePx} px does not fit in ${lengthPx} px`);
  const origins: number[] = [];
  for (let start = 0; start + tilePx <= lengthPx; start += tilePx) origins.push(start);
  if (origins[origins.length - 1]! + tilePx < lengthPx) origins.push(lengthPx - tilePx);
  return origins;
}

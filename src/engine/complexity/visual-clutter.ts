/**
 * Visual clutter as subband entropy (Rosenholtz, Li and Nakano, "Measuring visual clutter",
 * Journal of Vision 7(2), 2007, section 4; candidate measure of CC-Net, Mishra et al., ISBI
 * 2019, section 2.1). Clutter is the information in a wavelet decomposition of the image: how
 * many bits per coefficient its subbands need.
 *
 * As in the authors' code (`getClutter_SE`): the image in CIELab; for each channel, the mean
 * over the wavelet subbands of each subband's Shannon entropy (bits), its coefficients binned
 * into round(sqrt(n)) equal bins over their range (n coefficients); clutter =
 * (H_L + w * H_a + w * H_b) / (1 + 2w), chrominance weight w = 0.0625, and a chrominance
 * channel whose values span less than CLUTTER_CHROMA_MIN_SPAN = 2 units of a or b counts 0 (theirs
 * skips a nearly constant chroma channel likewise). Gray images use H_L alone.
 *
 * Simplifications, documented: the steerable pyramid (3 scales x 4 orientations) is replaced by
 * the orthonormal 2D Haar wavelet, CLUTTER_LEVELS = 3 levels x 3 detail subbands (horizontal,
 * vertical, diagonal); CIELab (D65) by sharp/libvips (`toColourspace('lab')`, float), and a
 * gray image is its own L channel (binning over each band's range makes the entropy blind to
 * the channel's scale).
 *
 * Units: bits per coefficient; 0 for a flat image, up to about log2(sqrt(n)) (8 bits for the
 * finest subbands of a 512 x 512 image) for noise.
 */
import type { DecodedImage } from '../data/imageio';
import type { ImageMeasure } from './measure';
import sharp from 'sharp';

export const CLUTTER_LEVELS = 3;
export const CLUTTER_CHROMA_WEIGHT = 0.0625;
/** A chroma channel whose (max - min) is below this many a* or b* units carries no clutter. */
export const CLUTTER_CHROMA_MIN_SPAN = 2;

/** Shannon entropy (bits) of the values binned into round(sqrt(n)) equal bins over [min, max]; 0 when all are equal. */
export function histogramEntropyBits(values: Float32Array): number {
  const n = values.length;
  if (n === 0) return 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max - min > 1e-9)) return 0;
  const binCount = Math.max(2, Math.round(Math.sqrt(n)));
  const counts = new Uint32Array(binCount);
  const scale = binCount / (max - min);
  for (let i = 0; i < n; i++) counts[Math.min(binCount - 1, Math.floor((values[i]! - min) * scale))]!++;
  let entropy = 0;
  for (let b = 0; b < binCount; b++) {
    const c = counts[b]!;
    if (c > 0) {
      const p = c / n;
      entropy -= p * Math.log2(p);
    }
  }
  return entropy;
}

/**
 * Mean entropy of the Haar detail subbands of one channel (row-major, `width` x `height`),
 * over `levels` levels; odd last rows or columns are dropped at each level.
 */
export function meanSubbandEntropy(channel: Float32Array, width: number, height: number, levels = CLUTTER_LEVELS): number {
  let approx = channel;
  let w = width;
  let h = height;
  const entropies: number[] = [];
  for (let level = 0; level < levels; level++) {
    const hw = Math.floor(w / 2);
    const hh = Math.floor(h / 2);
    if (hw < 1 || hh < 1) break;
    const next = new Float32Array(hw * hh);
    const horizontal = new Float32Array(hw * hh);
    const vertical = new Float32Array(hw * hh);
    const diagonal = new Float32Array(hw * hh);
    for (let y = 0; y < hh; y++) {
      const top = 2 * y * w;
      const bottom = top + w;
      for (let x = 0; x < hw; x++) {
        const a = approx[top + 2 * x]!;
        const b = approx[top + 2 * x + 1]!;
        const c = approx[bottom + 2 * x]!;
        const d = approx[bottom + 2 * x + 1]!;
        const o = y * hw + x;
        next[o] = (a + b + c + d) / 2;
        horizontal[o] = (a + b - c - d) / 2;
        vertical[o] = (a - b + c - d) / 2;
        diagonal[o] = (a - b - c + d) / 2;
      }
    }
    entropies.push(histogramEntropyBits(horizontal), histogramEntropyBits(vertical), histogramEntropyBits(diagonal));
    approx = next;
    w = hw;
    h = hh;
  }
  return entropies.length ? entropies.reduce((s, e) => s + e, 0) / entropies.length : 0;
}

export async function subbandEntropyClutter(image: DecodedImage): Promise<number> {
  const { width, height } = image;
  const pixelCount = width * height;
  if (image.channels === 1) return meanSubbandEntropy(Float32Array.from(image.pixels), width, height);
  const { data } = await sharp(Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength), {
    raw: { width, height, channels: 3 },
  })
    .toColourspace('lab')
    .raw({ depth: 'float' })
    .toBuffer({ resolveWithObject: true });
  const lab = new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  const planes = [0, 1, 2].map(() => new Float32Array(pixelCount));
  for (let p = 0; p < pixelCount; p++) {
    planes[0]![p] = lab[3 * p]!;
    planes[1]![p] = lab[3 * p + 1]!;
    planes[2]![p] = lab[3 * p + 2]!;
  }
  let clutter = meanSubbandEntropy(planes[0]!, width, height);
  for (const chroma of [planes[1]!, planes[2]!]) {
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < pixelCount; p++) {
      const v = chroma[p]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (max - min >= CLUTTER_CHROMA_MIN_SPAN) clutter += CLUTTER_CHROMA_WEIGHT * meanSubbandEntropy(chroma, width, height);
  }
  return clutter / (1 + 2 * CLUTTER_CHROMA_WEIGHT);
}

export const visualClutter: ImageMeasure = {
  id: 'clutter',
  symbol: 'C',
  name: 'visual clutter (subband entropy)',
  summary: 'Rosenholtz subband entropy: mean Haar-subband entropy in bits, CIELab, chroma weight 1/16',
  version: 2,
  compute: subbandEntropyClutter,
};

/**
 * Loads a dataset's image/mask pairs as training samples: images as floats in [0, 1] (HWC),
 * masks as 0/1, all at the dataset's working size.
 *
 * - Working size: `size N` of the dataset (N x N), else the size of the first image (every
 *   image must then have that size, unless the dataset trains on patches: then each image keeps
 *   its own size). A working scale (working-scale.ts) resizes each image by its factor instead. Images are resized bilinearly, masks with nearest neighbour, so masks stay
 *   binary.
 * - Masks: a pixel is foreground when its (gray) value is above MASK_THRESHOLD = 127, which
 *   suits 0/255 masks and anti-aliased ones; a mask whose maximum is 1 (0/1 labels saved as
 *   8-bit) is foreground wherever it is 1.
 * - Channels: all images get the dataset's channel count (1 when every image is gray, else 3).
 */
import type { DatasetIndex } from './dataset';
import { DatasetError } from './dataset';
import { decodeImage, type ChannelCount } from './imageio';
import { scaledSidePx } from './working-scale';

export const MASK_THRESHOLD = 127;

export interface SegmentationSample {
  id: string;
  widthPx: number;
  heightPx: number;
  channels: ChannelCount;
  /** Values in [0, 1], row-major, channels interleaved. */
  image: Float32Array;
  /** 0 or 1 per pixel. */
  mask: Uint8Array;
}

export interface LoadSamplesOptions {
  /** Overrides the dataset's working size. */
  sizePx?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export async function loadSamples(index: DatasetIndex, options: LoadSamplesOptions = {}): Promise<SegmentationSample[]> {
  const pairs = index.pairs;
  const sizePx = options.sizePx ?? index.sizePx;
  const first = pairs[0]!;
  const width = sizePx ?? first.widthPx;
  const height = sizePx ?? first.heightPx;
  const ownSizes = !sizePx && index.patchPx !== undefined;
  if (!sizePx && !ownSizes) {
    const other = pairs.find((p) => p.widthPx !== width || p.heightPx !== height);
    if (other) {
      throw new DatasetError(
        `dataset ${index.name}: images have different sizes (${first.id} is ${width}x${height}, ${other.id} is ${other.widthPx}x${other.heightPx}); give the dataset a working size, e.g. size 256`,
        other.imagePath,
      );
    }
  }
  const decoded = [];
  for (const [i, pair] of pairs.entries()) {
    options.signal?.throwIfAborted();
    const resizeTo = index.scale && !sizePx
      ? { width: scaledSidePx(pair.widthPx, index.scale), height: scaledSidePx(pair.heightPx, index.scale) }
      : !ownSizes && (width !== pair.widthPx || height !== pair.heightPx) ? { width, height } : undefined;
    const image = await decodeImage(pair.imagePath, resizeTo ? { resizeTo } : {});
    const mask = await decodeImage(pair.maskPath, { channels: 1, ...(resizeTo ? { resizeTo: { ...resizeTo, kernel: 'nearest' as const } } : {}) });
    decoded.push({ pair, image, mask });
    options.onProgress?.(i + 1, pairs.length);
  }
  const channels: ChannelCount = decoded.every((d) => d.image.channels === 1) ? 1 : 3;
  return decoded.map(({ pair, image, mask }) => {
    const pixels = image.channels === channels ? image.pixels : expandGray(image.pixels);
    const floats = new Float32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) floats[i] = pixels[i]! / 255;
    return { id: pair.id, widthPx: image.width, heightPx: image.height, channels, image: floats, mask: binarizeMask(mask.pixels) };
  });
}

/** Foreground where the value is above the threshold; a mask whose maximum is 1 is a 0/1 mask. */
export function binarizeMask(values: Uint8Array): Uint8Array {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const threshold = max === 1 ? 0 : MASK_THRESHOLD;
  return Uint8Array.from(values, (v) => (v > threshold ? 1 : 0));
}

function expandGray(gray: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(gray.length * 3);
  for (let i = 0; i < gray.length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = gray[i]!;
  return rgb;
}

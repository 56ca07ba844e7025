/**
 * Image decoding for every part of the engine, through sharp (libvips).
 *
 * Every image becomes 8-bit pixels, interleaved, with 1 channel (gray) or 3 (RGB):
 * - 16-bit images (PNG, TIFF) are scaled to 8 bits (value / 257), never clipped;
 * - an alpha channel is dropped;
 * - an RGB file whose three channels are identical everywhere (gray content saved as RGB,
 *   as in the ISBI 2012 EM release) is reduced to 1 channel, so that a measure sees the same
 *   pixels whether the gray image was saved with one channel or three.
 */
import sharp from 'sharp';

export type ChannelCount = 1 | 3;

export interface DecodedImage {
  width: number;
  height: number;
  channels: ChannelCount;
  /** 8-bit pixels, row-major, channels interleaved; length = width * height * channels. */
  pixels: Uint8Array;
}

export interface DecodeOptions {
  /** Force 1 (gray) or 3 (RGB) channels; by default the content decides (see module doc). */
  channels?: ChannelCount;
  /** Resize to exactly this width and height (bilinear for images). */
  resizeTo?: { width: number; height: number; kernel?: 'nearest' | 'linear' };
  /** Downscale (keeping the aspect ratio) so that the longer side is at most this many pixels. */
  maxSidePx?: number;
}

/** Thrown when a file cannot be decoded; `path` names the file. */
export class ImageDecodeError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot read image ${path}: ${reason}`);
    this.name = 'ImageDecodeError';
  }
}

/** Reads width, height and channel count without decoding the pixels. */
export async function readImageHeader(path: string): Promise<{ width: number; height: number; channels: number }> {
  try {
    const meta = await sharp(path).metadata();
    if (!meta.width || !meta.height) throw new Error('no image size in the file header');
    return { width: meta.width, height: meta.height, channels: meta.channels ?? 0 };
  } catch (error) {
    throw new ImageDecodeError(path, shortReason(error));
  }
}

/** Decodes an image file (or an encoded buffer) to 8-bit gray or RGB pixels. */
export async function decodeImage(source: string | Buffer, options: DecodeOptions = {}): Promise<DecodedImage> {
  const label = typeof source === 'string' ? source : '<buffer>';
  try {
    let pipeline = sharp(source, { failOn: 'error' });
    const meta = await pipeline.metadata();
    if (!meta.width || !meta.height) throw new Error('no image size in the file header');
    if (meta.hasAlpha) pipeline = pipeline.removeAlpha();
    if (options.resizeTo) {
      pipeline = pipeline.resize(options.resizeTo.width, options.resizeTo.height, {
        fit: 'fill',
        kernel: options.resizeTo.kernel === 'nearest' ? 'nearest' : 'linear',
      });
    } else if (options.maxSidePx && Math.max(meta.width, meta.height) > options.maxSidePx) {
      pipeline = pipeline.resize(options.maxSidePx, options.maxSidePx, { fit: 'inside', kernel: 'linear' });
    }
    const sixteenBit = meta.depth === 'ushort';
    // without an explicit 16-bit colourspace sharp converts to 8-bit sRGB first, and
    // raw({ depth: 'ushort' }) would then only widen 0..255 values (not scale them)
    if (sixteenBit) pipeline = pipeline.toColourspace((meta.channels ?? 1) <= 2 ? 'grey16' : 'rgb16');
    const { data, info } = await pipeline.raw({ depth: sixteenBit ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    const samples = sixteenBit
      ? scaleSixteenToEight(new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2))
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const image = toGrayOrRgb(samples, info.width, info.height, info.channels);
    return options.channels ? withChannels(image, options.channels) : image;
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    throw new ImageDecodeError(label, shortReason(error));
  }
}

/** Maps 16-bit samples to 8 bits by scaling (65535 -> 255), not by clipping. */
export function scaleSixteenToEight(samples: Uint16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.round(samples[i]! / 257);
  return out;
}

function toGrayOrRgb(samples: Uint8Array, width: number, height: number, channels: number): DecodedImage {
  const pixelCount = width * height;
  if (channels === 1) return { width, height, channels: 1, pixels: samples };
  if (channels === 2) {
    // gray + alpha that survived removeAlpha (should not happen) - keep the gray plane
    const gray = new Uint8Array(pixelCount);
    for (let p = 0; p < pixelCount; p++) gray[p] = samples[p * 2]!;
    return { width, height, channels: 1, pixels: gray };
  }
  const rgb = new Uint8Array(pixelCount * 3);
  let allEqual = true;
  for (let p = 0; p < pixelCount; p++) {
    const r = samples[p * channels]!;
    const g = samples[p * channels + 1]!;
    const b = samples[p * channels + 2]!;
    rgb[p * 3] = r;
    rgb[p * 3 + 1] = g;
    rgb[p * 3 + 2] = b;
    if (r !== g || g !== b) allEqual = false;
  }
  if (!allEqual) return { width, height, channels: 3, pixels: rgb };
  const gray = new Uint8Array(pixelCount);
  for (let p = 0; p < pixelCount; p++) gray[p] = rgb[p * 3]!;
  return { width, height, channels: 1, pixels: gray };
}

/** Converts between gray and RGB: gray -> RGB repeats the plane; RGB -> gray uses Rec. 601 luma. */
export function withChannels(image: DecodedImage, channels: ChannelCount): DecodedImage {
  if (image.channels === channels) return image;
  const pixelCount = image.width * image.height;
  if (channels === 3) {
    const rgb = new Uint8Array(pixelCount * 3);
    for (let p = 0; p < pixelCount; p++) rgb[p * 3] = rgb[p * 3 + 1] = rgb[p * 3 + 2] = image.pixels[p]!;
    return { ...image, channels: 3, pixels: rgb };
  }
  const gray = new Uint8Array(pixelCount);
  for (let p = 0; p < pixelCount; p++) {
    const r = image.pixels[p * 3]!;
    const g = image.pixels[p * 3 + 1]!;
    const b = image.pixels[p * 3 + 2]!;
    gray[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return { ...image, channels: 1, pixels: gray };
}

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  if (/unsupported image format|Input file contains unsupported/i.test(firstLine)) {
    return 'not an image format sharp can read (PNG, JPEG, TIFF, WebP, GIF, BMP via TIFF); convert it or remove it';
  }
  if (/Input file is missing|ENOENT/i.test(firstLine)) return 'the file does not exist';
  return firstLine;
}

/**
 * The unlabelled pool of suggestive annotation: a folder of images without masks, prepared the
 * way the labelled dataset is (its working size or working scale, its channel count), so that
 * the networks trained on the dataset see pool images as they saw their training images.
 *
 * Files: the images in POOL/images/ when that folder exists (a dataset folder whose masks are
 * not drawn yet), else the images directly in POOL; extensions as for datasets. Unreadable
 * files are named and skipped.
 */
import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import fg from 'fast-glob';
import { DatasetError, IMAGE_EXTENSIONS, type SkippedFile } from '../data/dataset';
import { decodeImage, ImageDecodeError, readImageHeader, withChannels, type ChannelCount } from '../data/imageio';
import type { SegmentationSample } from '../data/samples';
import { scaledSidePx } from '../data/working-scale';

export interface PoolPreparation {
  /** Resize every image to sizePx x sizePx (the dataset's `size N`). */
  sizePx?: number;
  /** Resize every image by this factor, keeping its aspect ratio (the dataset's resolved working scale). */
  scale?: number;
  channels: ChannelCount;
}

export interface PoolImage extends SegmentationSample {
  path: string;
}

export interface LoadedPool {
  folder: string;
  images: PoolImage[];
  skipped: SkippedFile[];
}

/** The image files of a pool folder, sorted by path. */
export async function poolImagePaths(folder: string): Promise<string[]> {
  const root = resolve(folder);
  if (!existsSync(root)) throw new DatasetError(`the pool folder ${root} does not exist; give a folder of images without masks`, root);
  const where = existsSync(join(root, 'images')) ? join(root, 'images') : root;
  const pattern = `*.{${IMAGE_EXTENSIONS.join(',')}}`;
  return (await fg(pattern, { cwd: where, absolute: true, onlyFiles: true, caseSensitiveMatch: false })).sort();
}

export async function loadPool(
  folder: string,
  preparation: PoolPreparation,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<LoadedPool> {
  const paths = await poolImagePaths(folder);
  if (paths.length === 0) throw new DatasetError(`the pool folder ${resolve(folder)} holds no images (${IMAGE_EXTENSIONS.join(', ')}), in images/ or at its top level`, resolve(folder));
  const images: PoolImage[] = [];
  const skipped: SkippedFile[] = [];
  for (const [i, path] of paths.entries()) {
    options.signal?.throwIfAborted();
    try {
      const resizeTo = await targetSize(path, preparation);
      const decoded = withChannels(await decodeImage(path, resizeTo ? { resizeTo } : {}), preparation.channels);
      const image = new Float32Array(decoded.pixels.length);
      for (let p = 0; p < image.length; p++) image[p] = decoded.pixels[p]! / 255;
      images.push({ id: basename(path, extname(path)), path, widthPx: decoded.width, heightPx: decoded.height, channels: preparation.channels, image, mask: new Uint8Array(decoded.width * decoded.height) });
    } catch (error) {
      if (!(error instanceof ImageDecodeError)) throw error;
      skipped.push({ path, reason: error.message });
    }
    options.onProgress?.(i + 1, paths.length);
  }
  if (images.length === 0) throw new DatasetError(`no image of the pool folder ${resolve(folder)} could be read (${skipped[0]?.reason})`, resolve(folder));
  return { folder: resolve(folder), images, skipped };
}

async function targetSize(path: string, preparation: PoolPreparation): Promise<{ width: number; height: number } | undefined> {
  if (preparation.sizePx) return { width: preparation.sizePx, height: preparation.sizePx };
  if (!preparation.scale || preparation.scale === 1) return undefined;
  const { width, height } = await readImageHeader(path);
  return { width: scaledSidePx(width, preparation.scale), height: scaledSidePx(height, preparation.scale) };
}

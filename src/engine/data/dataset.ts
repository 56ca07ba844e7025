/**
 * A dataset is a folder of image/mask pairs. This module finds the pairs and checks them before
 * any work starts, so that every problem is reported once, naming the file and what to do.
 *
 * Pairing rule: an image and a mask belong together when their file names without extension are
 * equal (`images/07.png` with `masks/07.png` or `masks/07.tif`).
 */
import { access, readdir, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import { ImageDecodeError, readImageHeader } from './imageio';
import { scaledSidePx, structureFitScale, type ScaleSpec, type StructureFitScale } from './working-scale';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'bmp', 'webp', 'gif'];
const ANY_IMAGE = `*.{${IMAGE_EXTENSIONS.join(',')}}`;
export const DEFAULT_IMAGES_GLOB = `images/${ANY_IMAGE}`;
export const DEFAULT_MASKS_GLOB = `masks/${ANY_IMAGE}`;

export interface DatasetSpec {
  name: string;
  /** Folder of the dataset; relative paths are resolved against `baseDir`. */
  path: string;
  imagesGlob?: string;
  masksGlob?: string;
  /** Working size: images and masks are resized to sizePx x sizePx for analysis and training. */
  sizePx?: number;
  /**
   * Patch size: networks take patchPx x patchPx inputs, train on random crops of the images at
   * their working size and predict whole images tile by tile (see patches.ts).
   */
  patchPx?: number;
  /**
   * Working scale: resize every image by this factor, keeping its aspect ratio, or `auto` to fit
   * the structures to the patch (see working-scale.ts; needs patchPx). Not with sizePx.
   */
  scale?: ScaleSpec;
  /** Where `scale auto` keeps the masks' measured thickness (absent: measured every time). */
  scaleCacheDir?: string;
  signal?: AbortSignal;
}

export interface ImageMaskPair {
  id: string;
  imagePath: string;
  maskPath: string;
  widthPx: number;
  heightPx: number;
  channels: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface DatasetIndex {
  name: string;
  root: string;
  imagesGlob: string;
  masksGlob: string;
  sizePx: number | undefined;
  patchPx: number | undefined;
  /** The working scale factor (absent: the stored resolution, or sizePx). */
  scale?: number;
  /** How the scale was chosen: `auto` (working-scale.ts), with what it measured. */
  autoScale?: Omit<StructureFitScale, 'scale'>;
  pairs: ImageMaskPair[];
  /** Files that could not be read; they are left out and named here. */
  skipped: SkippedFile[];
}

/** A problem that stops a dataset from being used; `path` names the file or folder. */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** Finds and checks the image/mask pairs of a dataset. */
export async function indexDataset(spec: DatasetSpec, baseDir = process.cwd()): Promise<DatasetIndex> {
  const root = isAbsolute(spec.path) ? spec.path : resolve(baseDir, spec.path);
  const imagesGlob = spec.imagesGlob ?? DEFAULT_IMAGES_GLOB;
  const masksGlob = spec.masksGlob ?? DEFAULT_MASKS_GLOB;
  await checkFolder(root, spec.name);
  if (spec.sizePx !== undefined && (!Number.isInteger(spec.sizePx) || spec.sizePx < 8 || spec.sizePx > 8192)) {
    throw new DatasetError(`dataset ${spec.name}: size ${spec.sizePx} is not a whole number of pixels between 8 and 8192`, root);
  }

  if (spec.patchPx !== undefined && (!Number.isInteger(spec.patchPx) || spec.patchPx < 8 || spec.patchPx > 8192)) {
    throw new DatasetError(`dataset ${spec.name}: patch ${spec.patchPx} is not a whole number of pixels between 8 and 8192`, root);
  }
  if (spec.patchPx !== undefined && spec.sizePx !== undefined && spec.patchPx > spec.sizePx) {
    throw new DatasetError(`dataset ${spec.name}: patch ${spec.patchPx} is larger than the working size ${spec.sizePx}; give a patch of at most ${spec.sizePx}`, root);
  }

  if (spec.scale !== undefined) {
    if (spec.sizePx !== undefined) throw new DatasetError(`dataset ${spec.name}: give a working size (size N) or a scale, not both`, root);
    if (spec.scale === 'auto' && spec.patchPx === undefined) {
      throw new DatasetError(`dataset ${spec.name}: scale auto fits the structures to the training patch; give patch N as well (e.g. patch 128)`, root);
    }
    if (spec.scale !== 'auto' && !(spec.scale > 0 && spec.scale <= 1)) throw new DatasetError(`dataset ${spec.name}: scale ${spec.scale} must be above 0 and at most 1 (a downscaling factor), or auto`, root);
  }

  const imagePaths = await findFiles(root, imagesGlob);
  const maskPaths = await findFiles(root, masksGlob);
  if (imagePaths.length === 0) {
    const listing = await describeFolder(root);
    throw new DatasetError(
      `dataset ${spec.name}: no images match "${imagesGlob}" in ${root} (${listing}); put images in images/ or give images "GLOB"`,
      root,
    );
  }
  if (maskPaths.length === 0) {
    throw new DatasetError(
      `dataset ${spec.name}: no masks match "${masksGlob}" in ${root}; put masks (same file names as the images) in masks/ or give masks "GLOB"`,
      root,
    );
  }

  const masksById = new Map<string, string>();
  for (const maskPath of maskPaths) masksById.set(stem(maskPath), maskPath);
  const unmatched = imagePaths.filter((p) => !masksById.has(stem(p)));
  if (unmatched.length > 0) {
    const shown = unmatched.slice(0, 3).map((p) => relative(root, p)).join(', ');
    const more = unmatched.length > 3 ? ` and ${unmatched.length - 3} more` : '';
    throw new DatasetError(
      `dataset ${spec.name}: ${unmatched.length} image(s) have no mask with the same name: ${shown}${more}; add masks/<name>.png for each or remove those images`,
      unmatched[0]!,
    );
  }

  const pairs: ImageMaskPair[] = [];
  const skipped: SkippedFile[] = [];
  for (const imagePath of imagePaths) {
    const maskPath = masksById.get(stem(imagePath))!;
    const image = await readHeaderOrSkip(imagePath, skipped);
    const mask = await readHeaderOrSkip(maskPath, skipped);
    if (!image || !mask) continue;
    if (image.width !== mask.width || image.height !== mask.height) {
      throw new DatasetError(
        `dataset ${spec.name}: mask ${relative(root, maskPath)} is ${mask.width}x${mask.height} but image ${relative(root, imagePath)} is ${image.width}x${image.height}; masks must have their image's size`,
        maskPath,
      );
    }
    pairs.push({ id: stem(imagePath), imagePath, maskPath, widthPx: image.width, heightPx: image.height, channels: image.channels });
  }
  if (pairs.length === 0) {
    throw new DatasetError(
      `dataset ${spec.name}: none of the ${imagePaths.length} image/mask pairs in ${root} could be read (first: ${skipped[0]?.reason ?? 'unknown'})`,
      root,
    );
  }
  let scale = spec.scale === 'auto' ? undefined : spec.scale;
  let autoScale: Omit<StructureFitScale, 'scale'> | undefined;
  if (spec.scale === 'auto') {
    const fitted = await structureFitScale(pairs, spec.patchPx!, spec.signal, spec.scaleCacheDir);
    scale = fitted.scale;
    autoScale = { nativeThicknessPx: fitted.nativeThicknessPx, shortestSidePx: fitted.shortestSidePx };
  }
  if (scale === 1) scale = undefined;
  if (spec.patchPx !== undefined && spec.sizePx === undefined) {
    const side = (px: number) => (scale ? scaledSidePx(px, scale) : px);
    const small = pairs.find((p) => side(p.widthPx) < spec.patchPx! || side(p.heightPx) < spec.patchPx!);
    if (small) {
      const scaled = scale ? ` (${side(small.widthPx)}x${side(small.heightPx)} at scale ${scale})` : '';
      throw new DatasetError(
        `dataset ${spec.name}: image ${relative(root, small.imagePath)} is ${small.widthPx}x${small.heightPx}${scaled}, smaller than patch ${spec.patchPx}; give a smaller patch, ${scale ? 'a larger scale' : 'or a working size (size N) of at least ' + spec.patchPx}`,
        small.imagePath,
      );
    }
  }
  return { name: spec.name, root, imagesGlob, masksGlob, sizePx: spec.sizePx, patchPx: spec.patchPx, ...(scale ? { scale } : {}), ...(autoScale ? { autoScale } : {}), pairs, skipped };
}

async function checkFolder(root: string, name: string): Promise<void> {
  try {
    await access(root);
  } catch {
    throw new DatasetError(`dataset ${name}: folder ${root} does not exist; check the path (in a cell, the one after "from": relative paths start at the notebook's folder)`, root);
  }
  if (!(await stat(root)).isDirectory()) {
    throw new DatasetError(`dataset ${name}: ${root} is a file, not a folder; give the folder that holds images/ and masks/`, root);
  }
}

async function findFiles(root: string, pattern: string): Promise<string[]> {
  const found = await fg(pattern, { cwd: root, absolute: true, onlyFiles: true, caseSensitiveMatch: false });
  return found.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

async function describeFolder(root: string): Promise<string> {
  const entries = await readdir(root);
  if (entries.length === 0) return 'the folder is empty';
  const shown = entries.slice(0, 5).join(', ');
  return `it holds ${shown}${entries.length > 5 ? ', ...' : ''}`;
}

async function readHeaderOrSkip(path: string, skipped: SkippedFile[]) {
  try {
    return await readImageHeader(path);
  } catch (error) {
    const reason = error instanceof ImageDecodeError ? error.message : String(error);
    skipped.push({ path, reason: `${reason}; fix or remove the file` });
    return undefined;
  }
}

function stem(path: string): string {
  return basename(path, extname(path));
}

/**
 * Segmenting new, unlabelled images with a trained network: one mask PNG per image, 0 for
 * background and 255 for foreground, at the image's own size.
 *
 * Each image is brought to the working resolution the network was trained at (the dataset's
 * `size N` or working scale, as ../data/samples.ts does: bilinear), given the network's channel
 * count (gray repeated to RGB, RGB to gray by Rec. 601 luma), and predicted as evaluation
 * predicts (../train/predict.ts: whole when it is the input's size, else tile by tile, each tile
 * standardised, overlaps averaged). A pixel is foreground at probability >= 0.5. A mask made at
 * another resolution is resized back to the image's size by nearest neighbour.
 */
import { stat, mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import fg from 'fast-glob';
import sharp from 'sharp';
import { IMAGE_EXTENSIONS } from '../data/dataset';
import { decodeImage, readImageHeader, type ChannelCount } from '../data/imageio';
import type { SegmentationSample } from '../data/samples';
import { scaledSidePx } from '../data/working-scale';
import { PREDICTION_THRESHOLD } from '../train/metrics';
import { predictProbabilityMapsWith, type TilePredictor } from '../train/predict';

/** How the training data was resized before the network saw it (none: the stored resolution). */
export interface WorkingResolution {
  sizePx?: number | null;
  scale?: number | null;
}

export interface SegmentModel {
  predictor: TilePredictor;
  input: { heightPx: number; widthPx: number; channels: number };
  working: WorkingResolution;
}

export interface SegmentedImage {
  file: string;
  maskFile: string;
  widthPx: number;
  heightPx: number;
  /** Share of the pixels predicted foreground (at the working resolution). */
  foreground: number;
  /** The image and its probability map at the working resolution (for overlays), when asked for. */
  sample?: SegmentationSample;
  probabilities?: Float32Array;
}

/**
 * The image files of a folder (directly in it, by extension, sorted) or of a glob relative to
 * `baseDir`.
 */
export async function imageFiles(pattern: string, baseDir: string): Promise<string[]> {
  const path = resolve(baseDir, pattern);
  const isFolder = await stat(path).then((s) => s.isDirectory(), () => false);
  const matches = isFolder
    ? await fg(`*.{${IMAGE_EXTENSIONS.join(',')}}`, { cwd: path, absolute: true, caseSensitiveMatch: false, onlyFiles: true })
    : await fg(pattern, { cwd: baseDir, absolute: true, onlyFiles: true });
  const images = matches.filter((f) => IMAGE_EXTENSIONS.includes(extname(f).slice(1).toLowerCase()));
  return images.sort();
}

function workingSize(width: number, height: number, working: WorkingResolution) {
  if (working.sizePx) return { width: working.sizePx, height: working.sizePx };
  if (working.scale) return { width: scaledSidePx(width, working.scale), height: scaledSidePx(height, working.scale) };
  return { width, height };
}

export async function segmentImages(
  files: readonly string[],
  model: SegmentModel,
  outDir: string,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; keep?: number } = {},
): Promise<SegmentedImage[]> {
  await mkdir(outDir, { recursive: true });
  const results: SegmentedImage[] = [];
  const taken = new Set<string>();
  for (const [i, file] of files.entries()) {
    options.signal?.throwIfAborted();
    const header = await readImageHeader(file);
    const size = workingSize(header.width, header.height, model.working);
    const resized = size.width !== header.width || size.height !== header.height;
    const image = await decodeImage(file, { channels: model.input.channels as ChannelCount, ...(resized ? { resizeTo: size } : {}) });
    const { heightPx, widthPx } = model.input;
    if (image.width < widthPx || image.height < heightPx) {
      throw new RangeError(`${file} is ${image.width}x${image.height} at the working resolution, smaller than the network's input ${widthPx}x${heightPx}`);
    }
    const sample: SegmentationSample = {
      id: basename(file, extname(file)),
      widthPx: image.width,
      heightPx: image.height,
      channels: model.input.channels as ChannelCount,
      image: Float32Array.from(image.pixels, (v) => v / 255),
      mask: new Uint8Array(image.width * image.height),
    };
    const [map] = await predictProbabilityMapsWith(model.predictor, { heightPx, widthPx }, [sample], { signal: options.signal });
    const mask = Uint8Array.from(map!, (p) => (p >= PREDICTION_THRESHOLD ? 255 : 0));
    let png = sharp(Buffer.from(mask), { raw: { width: image.width, height: image.height, channels: 1 } });
    if (resized) png = png.resize(header.width, header.height, { fit: 'fill', kernel: 'nearest' });
    let name = `${sample.id}.png`;
    while (taken.has(name)) name = `${sample.id}_${taken.size}.png`;
    taken.add(name);
    const maskFile = join(outDir, name);
    await writeFile(maskFile, await png.png().toBuffer());
    const foreground = mask.reduce((n, v) => n + (v ? 1 : 0), 0) / mask.length;
    results.push({ file, maskFile, widthPx: header.width, heightPx: header.height, foreground, ...(i < (options.keep ?? 0) ? { sample, probabilities: map! } : {}) });
    options.onProgress?.(i + 1, files.length);
  }
  return results;
}

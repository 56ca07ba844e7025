/**
 * The complexity of a dataset: every requested measure over every readable image, summarised
 * as mean, sample standard deviation and count (the paper uses the dataset mean).
 * Unreadable images are named and skipped; a dataset with no readable image is an error.
 */
import { cpus } from 'node:os';
import type { DatasetIndex, SkippedFile } from '../data/dataset';
import { DatasetError } from '../data/dataset';
import { decodeImage, ImageDecodeError } from '../data/imageio';
import { summarize, type Summary } from '../util/stats';
import type { ImageMeasure } from './measure';

export interface ImageComplexity {
  id: string;
  values: Record<string, number>;
}

export interface DatasetComplexity {
  dataset: string;
  root: string;
  imageCount: number;
  usedCount: number;
  skipped: SkippedFile[];
  /** Per measure id. */
  measures: Record<string, Summary>;
  perImage: ImageComplexity[];
}

export interface MeasureDatasetOptions {
  /** Images whose longer side exceeds this are downscaled first (default 1024 px). */
  maxSidePx?: number;
  /** Images measured at once (default: the number of cores). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_MAX_SIDE_PX = 1024;

export async function measureDataset(
  index: DatasetIndex,
  measures: readonly ImageMeasure[],
  options: MeasureDatasetOptions = {},
): Promise<DatasetComplexity> {
  const pairs = index.pairs;
  const perImage: (ImageComplexity | undefined)[] = new Array(pairs.length);
  const skipped: SkippedFile[] = [...index.skipped];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < pairs.length) {
      const i = next++;
      options.signal?.throwIfAborted();
      const pair = pairs[i]!;
      try {
        const image = await decodeImage(pair.imagePath, { maxSidePx: options.maxSidePx ?? DEFAULT_MAX_SIDE_PX });
        const values: Record<string, number> = {};
        for (const measure of measures) values[measure.id] = await measure.compute(image);
        perImage[i] = { id: pair.id, values };
      } catch (error) {
        if (!(error instanceof ImageDecodeError)) throw error;
        skipped.push({ path: pair.imagePath, reason: `${error.message}; fix or remove the file` });
      }
      options.onProgress?.(++done, pairs.length);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? cpus().length, pairs.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = perImage.filter((x): x is ImageComplexity => x !== undefined);
  if (used.length === 0) {
    throw new DatasetError(`dataset ${index.name}: no image could be read (first problem: ${skipped[0]?.reason ?? 'none'})`, index.root);
  }
  const summaries: Record<string, Summary> = {};
  for (const measure of measures) summaries[measure.id] = summarize(used.map((x) => x.values[measure.id]!));
  return {
    dataset: index.name,
    root: index.root,
    imageCount: pairs.length + index.skipped.length,
    usedCount: used.length,
    skipped,
    measures: summaries,
    perImage: used,
  };
}

/**
 * The complexity of a dataset: every requested measure over every readable image, summarised
 * as mean, sample standard deviation and count (the paper uses the dataset mean).
 * Unreadable images are named and skipped; a dataset with no readable image is an error.
 *
 * Speed: images are measured in worker threads (worker-pool.ts; by default one per core) when
 * every measure is one of the registry's; measures from elsewhere run in this thread. With
 * `cacheDir`, values are cached by file content (cache.ts): a second run reads files and hashes
 * them but measures nothing, and a changed file is measured again.
 */
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { DatasetIndex, SkippedFile } from '../data/dataset';
import { DatasetError } from '../data/dataset';
import { summarize, type Summary } from '../util/stats';
import { ComplexityCache, contentSha256 } from './cache';
import type { ImageMeasure } from './measure';
import { measureImageBytes, type MeasureImageOutcome } from './measure-image';
import { measureById } from './registry';
import { ComplexityWorkerPool } from './worker-pool';

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
  /** Images whose every value came from the cache. */
  cachedCount: number;
  /** Worker threads that measured (0: this thread). */
  workerCount: number;
}

export interface MeasureDatasetOptions {
  /** Images whose longer side exceeds this are downscaled first (default 1024 px). */
  maxSidePx?: number;
  /** Images in flight at once (default: twice the worker count, at least 2). */
  concurrency?: number;
  /** Worker threads (default: the number of cores); 0 measures in this thread. Ignored when `pool` is given. */
  workers?: number;
  /** Worker entry script (see worker-pool.ts for the default and for bundling). */
  workerScriptPath?: string;
  /** A pool to reuse across datasets (the caller closes it); otherwise one is made and closed here. */
  pool?: ComplexityWorkerPool;
  /** Folder of the content-hash cache (cache.ts); no caching when absent. */
  cacheDir?: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_MAX_SIDE_PX = 1024;

export async function measureDataset(
  index: DatasetIndex,
  measures: readonly ImageMeasure[],
  options: MeasureDatasetOptions = {},
): Promise<DatasetComplexity> {
  if (measures.length === 0) throw new RangeError('measureDataset needs at least one measure; use resolveMeasures(["j"]) or "all"');
  const maxSidePx = options.maxSidePx ?? DEFAULT_MAX_SIDE_PX;
  if (!(Number.isInteger(maxSidePx) && maxSidePx >= 8)) throw new RangeError(`maxSidePx ${maxSidePx} must be a whole number of pixels, at least 8`);
  const pairs = index.pairs;
  if (pairs.length === 0) throw new DatasetError(`dataset ${index.name}: no images to measure`, index.root);
  const cache = options.cacheDir ? new ComplexityCache(options.cacheDir) : undefined;

  // registry measures can cross into worker threads by id; others run here
  const workerSafe = measures.every((m) => measureById(m.id) === m);
  const wantedWorkers = options.pool ? options.pool.workerCount : Math.max(0, Math.floor(options.workers ?? cpus().length));
  const ownPool = !options.pool && workerSafe && wantedWorkers > 0 ? new ComplexityWorkerPool({ workerCount: wantedWorkers, workerScriptPath: options.workerScriptPath }) : undefined;
  const pool = workerSafe ? (options.pool ?? ownPool) : undefined;

  const perImage: (ImageComplexity | undefined)[] = new Array(pairs.length);
  const skipped: SkippedFile[] = [...index.skipped];
  let cachedCount = 0;
  let next = 0;
  let done = 0;

  const measureOne = async (i: number) => {
    const pair = pairs[i]!;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(pair.imagePath);
    } catch (error) {
      skipped.push({ path: pair.imagePath, reason: `cannot read image ${pair.imagePath}: ${(error as Error).message}; fix or remove the file` });
      return;
    }
    const contentHash = cache ? contentSha256(bytes) : '';
    const cached = cache ? await cache.get(contentHash, maxSidePx, measures) : {};
    const missing = measures.filter((m) => cached[m.id] === undefined);
    let computed: Record<string, number> = {};
    if (missing.length > 0) {
      const outcome: MeasureImageOutcome = pool
        ? await pool.measure({ bytes, label: pair.imagePath, measureIds: missing.map((m) => m.id), maxSidePx })
        : await measureImageBytes(bytes, pair.imagePath, missing, maxSidePx);
      if (!outcome.ok) {
        skipped.push({ path: pair.imagePath, reason: `${outcome.decodeError}; fix or remove the file` });
        return;
      }
      computed = outcome.values;
      if (cache) await cache.put(contentHash, maxSidePx, missing, computed);
    } else {
      cachedCount++;
    }
    const values: Record<string, number> = {};
    for (const m of measures) values[m.id] = cached[m.id] ?? computed[m.id]!;
    perImage[i] = { id: pair.id, values };
  };

  const runner = async () => {
    while (next < pairs.length) {
      options.signal?.throwIfAborted();
      const i = next++;
      await measureOne(i);
      options.onProgress?.(++done, pairs.length);
    }
  };
  const inFlight = options.concurrency ?? Math.max(2, 2 * (pool?.workerCount ?? 1));
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, pairs.length)) }, runner));
  } finally {
    await ownPool?.close();
  }

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
    cachedCount,
    workerCount: pool?.workerCount ?? 0,
  };
}

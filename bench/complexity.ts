/**
 * Benchmark of dataset complexity: images per second over every dataset of the shared real
 * datasets folder for
 * - the floor of J: decode and JPEG-encode each image, nothing else (sharp, all cores);
 * - J alone and all measures through measureDataset (worker pool, one worker per core, warmed
 *   up first; the pool's start-up is reported apart);
 * - J alone in this thread (sharp still uses its own threads).
 * Prints one JSON line on stdout; progress on stderr.
 *
 * Datasets folder: $CCNET_DATASETS, else ../shared/datasets from the working directory (the
 * main checkout's layout), else /work/shared/datasets.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { indexDataset, type DatasetIndex } from '../src/engine/data/dataset';
import { decodeImage } from '../src/engine/data/imageio';
import { DEFAULT_MAX_SIDE_PX, measureDataset } from '../src/engine/complexity/dataset-complexity';
import { jpegEncodedBytes } from '../src/engine/complexity/jpeg';
import { resolveMeasures } from '../src/engine/complexity/registry';
import { ComplexityWorkerPool } from '../src/engine/complexity/worker-pool';

const REPEATS = 2;

function datasetsDir(): string {
  const candidates = [process.env['CCNET_DATASETS'], resolve('..', 'shared', 'datasets'), '/work/shared/datasets'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error(`no datasets folder found (looked at ${candidates.filter(Boolean).join(', ')}); set CCNET_DATASETS`);
  return found;
}

async function forEachConcurrently<T>(items: readonly T[], concurrency: number, body: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await body(items[next++]!);
  }));
}

/** Best of REPEATS runs, in images per second. */
async function imagesPerSecond(imageCount: number, run: () => Promise<void>): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    await run();
    best = Math.min(best, performance.now() - start);
  }
  return imageCount / (best / 1000);
}

async function main(): Promise<void> {
  const root = datasetsDir();
  const names = readdirSync(root).filter((n) => existsSync(join(root, n, 'images'))).sort();
  const indexes: DatasetIndex[] = [];
  for (const name of names) indexes.push(await indexDataset({ name, path: join(root, name) }));
  const paths = indexes.flatMap((i) => i.pairs.map((p) => p.imagePath));
  const imageCount = paths.length;
  const cores = cpus().length;
  console.error(`complexity bench: ${imageCount} images in ${names.join(', ')} (${root}), ${cores} cores`);

  const encodeFloorImagesPerSec = await imagesPerSecond(imageCount, () =>
    forEachConcurrently(paths, 2 * cores, async (path) => {
      const image = await decodeImage(await readFile(path), { maxSidePx: DEFAULT_MAX_SIDE_PX });
      await jpegEncodedBytes(image);
    }),
  );
  console.error(`floor (decode + JPEG encode): ${encodeFloorImagesPerSec.toFixed(1)} images/s`);

  const poolStart = performance.now();
  const pool = new ComplexityWorkerPool({ workerCount: cores });
  const all = resolveMeasures('all');
  const j = resolveMeasures(['j']);
  // warm-up: starts the workers and loads OpenCV.js in each
  await measureDataset(indexes[0]!, all, { pool });
  const poolWarmUpMs = performance.now() - poolStart;

  const runAll = (measures: typeof all, options: Parameters<typeof measureDataset>[2]) => async () => {
    for (const index of indexes) await measureDataset(index, measures, options);
  };
  const jImagesPerSec = await imagesPerSecond(imageCount, runAll(j, { pool }));
  console.error(`J (worker pool): ${jImagesPerSec.toFixed(1)} images/s`);
  const jInThreadImagesPerSec = await imagesPerSecond(imageCount, runAll(j, { workers: 0 }));
  console.error(`J (this thread): ${jInThreadImagesPerSec.toFixed(1)} images/s`);
  const allImagesPerSec = await imagesPerSecond(imageCount, runAll(all, { pool }));
  console.error(`all measures (worker pool): ${allImagesPerSec.toFixed(1)} images/s`);

  // per-measure cost in one thread, for finding the slow one
  const perMeasureMsPerImage: Record<string, number> = {};
  const sample = await Promise.all(paths.filter((_, i) => i % 4 === 0).map((p) => decodeImage(p, { maxSidePx: DEFAULT_MAX_SIDE_PX })));
  for (const measure of all) {
    await measure.compute(sample[0]!);
    const start = performance.now();
    for (const image of sample) await measure.compute(image);
    perMeasureMsPerImage[measure.id] = +((performance.now() - start) / sample.length).toFixed(2);
  }
  await pool.close();

  console.log(
    JSON.stringify({
      images: imageCount,
      datasets: names,
      cores,
      workers: pool.workerCount,
      encodeFloorImagesPerSec: +encodeFloorImagesPerSec.toFixed(1),
      jImagesPerSec: +jImagesPerSec.toFixed(1),
      jInThreadImagesPerSec: +jInThreadImagesPerSec.toFixed(1),
      allImagesPerSec: +allImagesPerSec.toFixed(1),
      jSlowdownVsFloor: +(encodeFloorImagesPerSec / jImagesPerSec).toFixed(2),
      allSlowdownVsFloor: +(encodeFloorImagesPerSec / allImagesPerSec).toFixed(2),
      poolWarmUpMs: Math.round(poolWarmUpMs),
      perMeasureMsPerImageOneThread: perMeasureMsPerImage,
    }),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

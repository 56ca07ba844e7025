/** `ccnet complexity DIR... [--metrics all|ID,...] [--per-image] [--json]` */
import { basename, join, resolve } from 'node:path';
import { measureDataset } from '../engine/complexity/dataset-complexity';
import { DEFAULT_MEASURE_IDS, resolveMeasures } from '../engine/complexity/registry';
import { ComplexityWorkerPool } from '../engine/complexity/worker-pool';
import { indexDataset } from '../engine/data/dataset';
import { complexityTable } from '../kernel/views/complexity';

export interface ComplexityCommandOptions {
  folders: string[];
  metrics?: string;
  perImage: boolean;
  json: boolean;
  imagesGlob?: string;
  masksGlob?: string;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Cache of per-image values by file content; none when undefined. */
  cacheDir?: string;
}

export async function complexityCommand(options: ComplexityCommandOptions): Promise<number> {
  if (options.folders.length === 0) throw new Error('give at least one dataset folder: ccnet complexity DIR... (see ccnet help complexity)');
  const measures = resolveMeasures(
    options.metrics === undefined ? DEFAULT_MEASURE_IDS : options.metrics === 'all' ? 'all' : options.metrics.split(',').map((s) => s.trim()).filter(Boolean),
  );
  const results = [];
  const pool = new ComplexityWorkerPool();
  try {
  for (const folder of options.folders) {
    const name = basename(resolve(folder));
    const index = await indexDataset({ name, path: folder, imagesGlob: options.imagesGlob, masksGlob: options.masksGlob });
    const result = await measureDataset(index, measures, {
      signal: options.signal,
      pool,
      cacheDir: options.cacheDir ? join(options.cacheDir, 'complexity') : undefined,
      onProgress: (done, total) => {
        if (done === total || done % 10 === 0) options.log(`${name}: ${done}/${total}`);
      },
    });
    for (const skipped of result.skipped) options.log(`warning: ${name}: skipped ${skipped.path}: ${skipped.reason}`);
    results.push(result);
  }
  } finally {
    await pool.close();
  }
  if (options.json) {
    const contract = results.map((r) => ({
      dataset: r.dataset,
      root: r.root,
      imageCount: r.imageCount,
      usedCount: r.usedCount,
      skipped: r.skipped,
      measures: r.measures,
      ...(options.perImage ? { perImage: r.perImage } : {}),
    }));
    process.stdout.write(`${JSON.stringify({ measures: measures.map((m) => ({ id: m.id, symbol: m.symbol, name: m.name })), datasets: contract })}\n`);
  } else {
    process.stdout.write(`${complexityTable(results, measures)}\n`);
  }
  return 0;
}

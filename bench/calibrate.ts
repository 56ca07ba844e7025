/**
 * Parallel calibration: one small calibration plan (two real datasets, three widths, two seeds,
 * a few epochs) run in one kernel with `workers 1` and again, from a fresh cache, with `workers 2`.
 * Prints one JSON line:
 *   serialS, parallelS (wall seconds of each calibrate statement, dataset loading included),
 *   ratio = parallelS / serialS, runs, equal (every run's F1, IoU and epochs identical in both).
 * Needs the built kernel (npm run build). Env: CCNET_DATASETS (default ../shared/datasets), CCNET_BENCH_EPOCHS (default 8).
 */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { KernelClient } from '../src/host/client';
import { RESULT_JSON_MIME } from '../src/protocol/outputs';
import type { KernelEvent } from '../src/protocol/protocol';

const root = join(__dirname, '..');
const datasets = process.env.CCNET_DATASETS ?? join(root, '..', 'shared', 'datasets');
const epochs = Number(process.env.CCNET_BENCH_EPOCHS ?? 8);

type Run = { dataset: string; alpha: number; seed: number; f1: number; iou: number; epochsRun: number };

async function calibrate(workers: number): Promise<{ seconds: number; runs: Run[] }> {
  const cache = mkdtempSync(join(tmpdir(), 'ccnet-bench-calibrate-'));
  const kernel = new KernelClient({ kernelPath: join(root, 'dist', 'kernel.js'), cacheDir: cache, backend: process.env.CCNET_BACKEND ?? 'auto' });
  try {
    const define = [`dataset em from "${join(datasets, 'isbi2012-em')}" size 128`, `dataset hela from "${join(datasets, 'dic-c2dh-hela')}" size 128`, 'complexity em, hela metrics all'].join('\n');
    const defined = await kernel.execute(define, root, () => undefined);
    if (!defined.success) throw new Error(defined.error?.message);
    const events: KernelEvent[] = [];
    const started = performance.now();
    const result = await kernel.execute(`calibrate unet on em, hela alphas 1, 1/2, 1/4 epochs ${epochs} base 1/16 lr 0.003 seeds 1, 2 workers ${workers} as bench`, root, (e) => events.push(e));
    const seconds = (performance.now() - started) / 1000;
    if (!result.success) throw new Error(result.error?.message);
    const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])) as { format?: string; runs?: Run[] }[];
    return { seconds, runs: json.filter((j) => j.format === 'ccnet-calibration').at(-1)!.runs! };
  } finally {
    await kernel.dispose();
    rmSync(cache, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'kernel.js'))) {
    console.error('dist/kernel.js is missing: run npm run build first');
    process.exit(1);
  }
  const serial = await calibrate(1);
  const parallel = await calibrate(2);
  const key = (r: Run) => JSON.stringify([r.dataset, r.alpha, r.seed, r.f1, r.iou, r.epochsRun]);
  const equal = serial.runs.length === parallel.runs.length && serial.runs.every((r, i) => key(r) === key(parallel.runs[i]!));
  console.log(
    JSON.stringify({
      plan: `unet on isbi2012-em, dic-c2dh-hela at 128 px, alphas 1, 1/2, 1/4 of base 1/16, ${epochs} epochs, seeds 1, 2`,
      cores: availableParallelism(),
      runs: serial.runs.length,
      serialS: Number(serial.seconds.toFixed(1)),
      parallelS: Number(parallel.seconds.toFixed(1)),
      ratio: Number((parallel.seconds / serial.seconds).toFixed(3)),
      equal,
    }),
  );
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

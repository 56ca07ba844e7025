/**
 * `study samples NETWORK on DATASET prune P, ... r R, ... [seeds N] [epochs E] [alpha A] [lr X]`:
 * the training-set-size study of the H&E nuclei pruning paper (their Tables 4-6 and Fig. 10).
 * For each seed and each fraction r, the network is trained on N_tr = max(1, round(r x N_p))
 * training items, then pruned by L1 filter pruning at each ratio and fine-tuned on the same
 * images for E/2 epochs (at least 1), and evaluated on the held-out images. Results are the mean
 * and standard error (sample std / sqrt(seeds)) over seeds.
 *
 * The items: for the segmentation networks, images (N_p = the images of the seed's training
 * split; whole images stand in for the paper's patches). For the patch networks (dcnn, dccn),
 * the study's own patches: N_p = the balanced patch pool of the training split's images (every
 * cell centre on a 4-pixel grid and as many background ones, ../../engine/data/patch-pool.ts),
 * and N_tr of them, balanced, train (validation included) and fine-tune; held-out images are
 * predicted at every pixel.
 */
import { pruneL1 } from '../../engine/baselines/l1-prune';
import { fractionSubset, splitTrainTest } from '../../engine/data/split';
import { evaluateModel } from '../../engine/train/evaluate';
import { isPatchNetwork, parseNetworkId, NETWORKS } from '../../engine/models/registry';
import { balancedPatchPool, patchFraction } from '../../engine/data/patch-pool';
import { summarize } from '../../engine/util/stats';
import type { ExecutionContext } from '../context';
import { formatNumber, jsonItem, markdownOutput, markdownTable, plotOutput } from '../../protocol/outputs';
import { trainNetwork } from '../training';
import { fineTune, type FineTuned } from '../fine-tuning';
import { UserInputError } from '../user-errors';
import type { SegmentationSample } from '../../engine/data/samples';
import { DEFAULT_LEARNING_RATE } from '../../engine/train/loop';
import { datasetOfIndex } from '../train-run';
import { runOnWorkers } from '../training-pool';
import { defaultCalibrationWorkers } from './calibrate';

/**
 * Trains the study's base networks in worker kernels, which store them in the shared training
 * cache; the study's own loop then restores each (same dataset, subset, seed, options and
 * recipe: the same key) and prunes and fine-tunes it here.
 */
async function trainBasesOnWorkers(
  context: ExecutionContext,
  args: StudyArgs,
  units: { seed: number; r: number; subset: SegmentationSample[]; label: string }[],
  options: { alpha: number; epochs: number; learningRate: number; workers: number },
): Promise<void> {
  const dataset = datasetOfIndex(context.session.dataset(args.dataset));
  const runs = units.map((unit) => ({
    dataset,
    network: args.network,
    width: options.alpha,
    epochs: options.epochs,
    batch: 4,
    learningRate: options.learningRate,
    seed: unit.seed,
    patience: 0,
    label: unit.label,
    trainIds: unit.subset.map((s) => s.id),
    ...(isPatchNetwork(parseNetworkId(args.network).network) ? { patchFraction: unit.r } : {}),
    useCache: true,
    ...(context.freshTraining ? { fresh: true } : {}),
  }));
  const status = new Map<number, string>();
  const failures: string[] = [];
  let done = 0;
  await runOnWorkers(runs, options.workers, context.session.workerKernel!, context.signal, {
    onStart: (run, worker) => status.set(worker, run.label),
    onEvent: (_run, worker, event) => {
      if (event.type !== 'progress') return;
      status.set(worker, event.message);
      context.emit({ type: 'progress', message: `base networks on ${options.workers} workers, ${done}/${runs.length} done | ${[...status].sort(([a], [b]) => a - b).map(([w, m]) => `worker ${w}: ${m}`).join(' | ')}`, fraction: done / runs.length });
    },
    onDone: () => {
      done++;
    },
    // a run that fails on its worker is trained here by the study's own loop
    onFailed: (run, error) => failures.push(`${run.label}: ${error.message}`),
  });
  context.signal.throwIfAborted();
  if (failures.length) context.emit({ type: 'log', stream: 'stderr', text: `study: ${failures.length} base network(s) failed on a worker and train in this kernel instead (${failures.join('; ')})\n` });
}

export interface StudyArgs {
  network: string;
  dataset: string;
  pruneRatios: number[];
  fractions: number[];
  seeds?: number;
  epochs?: number;
  alpha?: number;
  learningRate?: number;
  /** Worker kernels that train the base networks in parallel (default one per core); 1 trains them here. */
  workers?: number;
}

const STUDY_METRICS = ['accuracy', 'f1', 'sensitivity', 'specificity', 'crossEntropy'] as const;
const LABEL: Record<(typeof STUDY_METRICS)[number], string> = { accuracy: 'accuracy', f1: 'Dice', sensitivity: 'sensitivity', specificity: 'specificity', crossEntropy: 'cross-entropy' };

export async function runStudy(args: StudyArgs, context: ExecutionContext): Promise<void> {
  const choice = parseNetworkId(args.network);
  if (args.fractions.some((r) => !(r > 0 && r <= 1))) throw new UserInputError('every r must be above 0 and at most 1 (a fraction of the training images)');
  const seeds = args.seeds ?? 1;
  const epochs = args.epochs ?? 20;
  const results: { seed: number; r: number; ratio: number; trainImages: number; pool: number; metrics: Record<string, number> }[] = [];
  const learningRate = args.learningRate ?? DEFAULT_LEARNING_RATE;
  const alpha = args.alpha ?? 1;
  // every (seed, r) base network is independent of the others: its subset is fixed by the seed and r
  const patches = isPatchNetwork(choice.network);
  const units: { seed: number; r: number; count: number; pool: number; subset: SegmentationSample[]; test: SegmentationSample[]; label: string }[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const samples = await context.session.samplesOf(args.dataset, context.signal);
    const { train, test } = splitTrainTest(samples, seed);
    // a patch network trains on N_tr patches of every training image, the others on N_tr images
    const pool = patches ? balancedPatchPool(train, seed) : undefined;
    for (const r of args.fractions) {
      const subset = patches ? train : fractionSubset(train, r, seed);
      const count = pool ? patchFraction(pool, r, seed).length : subset.length;
      const items = pool ? `${count} of ${pool.length} patches` : `${count} images`;
      units.push({ seed, r, count, pool: pool?.length ?? train.length, subset, test, label: `seed ${seed}/${seeds}, r ${r} (${items})` });
    }
  }
  const workers = Math.min(args.workers ?? defaultCalibrationWorkers(), units.length);
  const onWorkers = workers > 1 && context.session.workerKernel !== undefined;
  if (onWorkers) await trainBasesOnWorkers(context, args, units, { alpha, epochs, learningRate, workers });
  // the bases trained by the workers (fresh ones too) are restored from the cache here
  const local = onWorkers ? { ...context, freshTraining: false } : context;
  for (const { seed, r, count, pool, subset, test, label } of units) {
    {
      const base = await trainNetwork(local, {
        choice,
        dataset: args.dataset,
        alpha,
        epochs,
        learningRate,
        seed,
        name: 'study',
        livePlot: false,
        trainSubset: () => subset,
        ...(patches ? { patchFraction: r } : {}),
        label,
      });
      try {
        for (const ratio of args.pruneRatios) {
          let model = base.model;
          let tuned: FineTuned | undefined;
          if (ratio > 0) {
            const pruned = pruneL1(base.graph, base.model, ratio, base.inputShape, seed);
            model = pruned.model;
            // cached like prune's fine-tuning: keyed by the base's training (its subset included) and the ratio
            tuned = await fineTune(
              context,
              base,
              { method: 'l1', ratio, study: 'samples' },
              model,
              subset,
              { epochs: Math.max(1, Math.round(epochs / 2)), batchSize: 4, learningRate: args.learningRate, seed, validationFraction: count > 4 ? 0.2 : 0, auxiliaryLossWeights: NETWORKS[choice.network].auxiliaryLossWeights, ...(patches ? { patchFraction: r } : {}) },
              `seed ${seed}, r ${r}, prune ${ratio}: fine-tuning`,
              false,
            );
          }
          const evaluation = await evaluateModel(model, test, { signal: context.signal });
          await tuned?.store({ params: model.countParams(), evaluation });
          results.push({ seed, r, ratio, trainImages: count, pool, metrics: Object.fromEntries(STUDY_METRICS.map((m) => [m, evaluation.summary[m].mean])) });
          if (model !== base.model) model.dispose();
        }
      } finally {
        base.model.dispose();
      }
    }
  }
  const rows = args.fractions.flatMap((r) =>
    args.pruneRatios.map((ratio) => {
      const group = results.filter((x) => x.r === r && x.ratio === ratio);
      const stats = Object.fromEntries(STUDY_METRICS.map((m) => {
        const s = summarize(group.map((g) => g.metrics[m]!));
        return [m, { mean: s.mean, standardError: s.count > 1 ? s.std / Math.sqrt(s.count) : 0 }];
      }));
      // trainImages: N_tr (images, or patches for a patch network); N_p of the first seed
      return { r, pruneRatio: ratio, trainImages: group[0]!.trainImages, ...(patches ? { trainPatches: group[0]!.trainImages, poolPatches: group[0]!.pool } : {}), seeds: group.length, ...stats } as Record<string, unknown>;
    }),
  );
  const table = markdownTable(
    ['r', 'N_tr', 'prune ratio', ...STUDY_METRICS.map((m) => `${LABEL[m]} (± s.e.)`)],
    rows.map((row) => [String(row.r), String(row.trainImages), String(row.pruneRatio), ...STUDY_METRICS.map((m) => {
      const v = row[m] as { mean: number; standardError: number };
      return `${formatNumber(v.mean, 3)} ± ${formatNumber(v.standardError, 2)}`;
    })]),
  );
  context.emit({
    type: 'output',
    output: markdownOutput(`Training-set-size study of ${args.network} on ${args.dataset}: ${seeds} seed(s), ${epochs} epochs, L1 pruning then ${Math.max(1, Math.round(epochs / 2))} epochs of fine-tuning; held-out images.${patches ? ` N_tr counts patches: of the balanced pool of N_p = ${units[0]!.pool} patches (seed 1) of the training images; held-out images are predicted at every pixel.` : ''}\n\n${table}`, [jsonItem({ network: args.network, dataset: args.dataset, seeds, epochs, rows })]),
  });
  const values = rows.flatMap((row) => STUDY_METRICS.map((m) => ({ r: row.r, prune: `prune ${row.pruneRatio}`, metric: LABEL[m], mean: (row[m] as { mean: number }).mean, low: (row[m] as { mean: number; standardError: number }).mean - (row[m] as { standardError: number }).standardError, high: (row[m] as { mean: number; standardError: number }).mean + (row[m] as { standardError: number }).standardError })));
  context.emit({
    type: 'output',
    output: plotOutput(
      {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: 'Metrics against the fraction of training images, per pruning ratio',
        data: { values },
        facet: { column: { field: 'metric', type: 'nominal', title: null } },
        resolve: { scale: { y: 'independent' } },
        spec: {
          width: 160,
          height: 160,
          layer: [
            { mark: { type: 'line', point: true, tooltip: true }, encoding: { x: { field: 'r', type: 'quantitative', scale: { type: 'log' }, title: 'r = N_tr / N_p' }, y: { field: 'mean', type: 'quantitative', scale: { zero: false }, title: null }, color: { field: 'prune', type: 'nominal', title: null } } },
            { mark: { type: 'rule' }, encoding: { x: { field: 'r', type: 'quantitative' }, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: { field: 'prune', type: 'nominal' } } },
          ],
        },
      },
      table,
    ),
  });
}

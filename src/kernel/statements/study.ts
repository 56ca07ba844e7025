/**
 * `study samples NETWORK on DATASET prune P, ... r R, ... [seeds N] [epochs E] [alpha A] [lr X]`:
 * the training-set-size study of the H&E nuclei pruning paper (their Tables 4-6 and Fig. 10).
 * For each seed and each fraction r, the network is trained on N_tr = max(1, round(r x N_p))
 * training images (N_p = the images of the training split; whole images stand in for the
 * paper's patches), then pruned by L1 filter pruning at each ratio and fine-tuned on the same
 * images for E/2 epochs (at least 1), and evaluated on the held-out images. Results are the mean
 * and standard error (sample std / sqrt(seeds)) over seeds.
 */
import { pruneL1 } from '../../engine/baselines/l1-prune';
import { splitTrainTest } from '../../engine/data/split';
import { evaluateModel } from '../../engine/train/evaluate';
import { parseNetworkId, NETWORKS } from '../../engine/models/registry';
import { summarize } from '../../engine/util/stats';
import { SeededRandom } from '../../engine/util/random';
import type { ExecutionContext } from '../context';
import { formatNumber, jsonItem, markdownOutput, markdownTable, plotOutput } from '../outputs';
import { runTraining, trainNetwork } from '../training';
import { UserInputError } from '../user-errors';

export interface StudyArgs {
  network: string;
  dataset: string;
  pruneRatios: number[];
  fractions: number[];
  seeds?: number;
  epochs?: number;
  alpha?: number;
  learningRate?: number;
}

const STUDY_METRICS = ['accuracy', 'f1', 'sensitivity', 'specificity', 'crossEntropy'] as const;
const LABEL: Record<(typeof STUDY_METRICS)[number], string> = { accuracy: 'accuracy', f1: 'Dice', sensitivity: 'sensitivity', specificity: 'specificity', crossEntropy: 'cross-entropy' };

export async function runStudy(args: StudyArgs, context: ExecutionContext): Promise<void> {
  const choice = parseNetworkId(args.network);
  if (args.fractions.some((r) => !(r > 0 && r <= 1))) throw new UserInputError('every r must be above 0 and at most 1 (a fraction of the training images)');
  const seeds = args.seeds ?? 1;
  const epochs = args.epochs ?? 20;
  const results: { seed: number; r: number; ratio: number; trainImages: number; metrics: Record<string, number> }[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const samples = await context.session.samplesOf(args.dataset, context.signal);
    const { train, test } = splitTrainTest(samples, seed);
    for (const r of args.fractions) {
      const count = Math.max(1, Math.round(r * train.length));
      const order = train.map((_, i) => i);
      const random = new SeededRandom(seed * 31 + Math.round(r * 1000));
      for (let i = order.length - 1; i > 0; i--) {
        const j = random.integer(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const subset = order.slice(0, count).map((i) => train[i]!);
      const base = await trainNetwork(context, {
        choice,
        dataset: args.dataset,
        alpha: args.alpha ?? 1,
        epochs,
        learningRate: args.learningRate,
        seed,
        name: 'study',
        livePlot: false,
        trainSubset: () => subset,
        label: `seed ${seed}/${seeds}, r ${r} (${count} images)`,
      });
      try {
        for (const ratio of args.pruneRatios) {
          let model = base.model;
          if (ratio > 0) {
            const pruned = pruneL1(base.graph, base.model, ratio, base.inputShape, seed);
            model = pruned.model;
            await runTraining(
              context,
              model,
              subset,
              { epochs: Math.max(1, Math.round(epochs / 2)), batchSize: 4, learningRate: args.learningRate, seed, validationFraction: subset.length > 4 ? 0.2 : 0, auxiliaryLossWeights: NETWORKS[choice.network].auxiliaryLossWeights },
              `seed ${seed}, r ${r}, prune ${ratio}: fine-tuning`,
              false,
            );
          }
          const evaluation = await evaluateModel(model, test, { signal: context.signal });
          results.push({ seed, r, ratio, trainImages: count, metrics: Object.fromEntries(STUDY_METRICS.map((m) => [m, evaluation.summary[m].mean])) });
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
      return { r, pruneRatio: ratio, trainImages: group[0]!.trainImages, seeds: group.length, ...stats } as Record<string, unknown>;
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
    output: markdownOutput(`Training-set-size study of ${args.network} on ${args.dataset}: ${seeds} seed(s), ${epochs} epochs, L1 pruning then ${Math.max(1, Math.round(epochs / 2))} epochs of fine-tuning; held-out images.\n\n${table}`, [jsonItem({ network: args.network, dataset: args.dataset, seeds, epochs, rows })]),
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

/**
 * `study annotation NETWORK on DATASET labelled L suggest K rounds R [seeds S] [bits B]
 * [ensemble M] [alpha A] [epochs E] [lr X]`: the experiment of suggestive annotation (Yang et
 * al., MICCAI 2017) and of its quantized form (Xu et al., CVPR 2018, Sec. 4). For each seed the
 * dataset's training split is the pool whose masks are "not drawn yet"; L of its images (a seeded
 * draw, the same for every strategy) start annotated. Each strategy then adds K images per round
 * for R rounds:
 * - random: the next K of a seeded shuffle of the images not yet annotated;
 * - suggestive (float): the K of `suggest` with an ensemble of M networks trained on bootstrap
 *   samples of the annotated images, scored on the images not yet annotated;
 * - suggestive (B-bit), with `bits B`: the same ensemble with its kernels quantized to B bits.
 * After every round (and before the first) a network is trained on the annotated images and
 * evaluated on the seed's held-out images. Reported: F1 (Dice) against the number of annotated
 * images, mean and standard error (sample std / sqrt(seeds)) over seeds, per strategy.
 */
import { suggestImages } from '../../engine/annotate/select';
import { splitTrainTest } from '../../engine/data/split';
import { checkSegmentationNetwork, networkLabel, parseNetworkId } from '../../engine/models/registry';
import { SeededRandom, shuffledIndices } from '../../engine/util/random';
import { summarize } from '../../engine/util/stats';
import type { ExecutionContext } from '../context';
import { scoreWithEnsemble } from '../ensemble-scoring';
import { formatNumber, jsonItem, markdownOutput, markdownTable, plotOutput } from '../../protocol/outputs';
import { trainNetwork } from '../training';
import { UserInputError } from '../user-errors';
import { meanPlot } from '../views/mean-plot';
import { DEFAULT_ENSEMBLE, DEFAULT_SUGGEST_ALPHA, DEFAULT_SUGGEST_EPOCHS } from './suggest';

export interface AnnotationStudyArgs {
  network: string;
  dataset: string;
  labelled: number;
  suggest: number;
  rounds: number;
  seeds?: number;
  bits?: number;
  ensemble?: number;
  alpha?: number;
  epochs?: number;
  learningRate?: number;
}

type Strategy = { id: string; label: string; bits?: number };

export async function runAnnotationStudy(args: AnnotationStudyArgs, context: ExecutionContext): Promise<void> {
  const choice = parseNetworkId(args.network);
  checkSegmentationNetwork(choice.network, 'study annotation');
  const seeds = args.seeds ?? 1;
  const members = args.ensemble ?? DEFAULT_ENSEMBLE;
  const alpha = args.alpha ?? DEFAULT_SUGGEST_ALPHA;
  const epochs = args.epochs ?? DEFAULT_SUGGEST_EPOCHS;
  if (members < 2) throw new UserInputError(`ensemble ${members}: disagreement needs at least 2 networks`);
  const strategies: Strategy[] = [
    { id: 'random', label: 'random' },
    { id: 'suggestive', label: 'suggestive (float)' },
    ...(args.bits !== undefined ? [{ id: `suggestive-${args.bits}bit`, label: `suggestive (${args.bits}-bit)`, bits: args.bits }] : []),
  ];
  const samples = await context.session.samplesOf(args.dataset, context.signal);
  const results: { seed: number; strategy: string; annotated: number; f1: number; iou: number }[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { train: pool } = splitTrainTest(samples, seed);
    const needed = args.labelled + args.rounds * args.suggest;
    if (needed > pool.length) {
      throw new UserInputError(`labelled ${args.labelled} + rounds ${args.rounds} x suggest ${args.suggest} = ${needed} images, but the training split of ${args.dataset} holds ${pool.length}; use fewer rounds or a smaller K`);
    }
    const initial = shuffledIndices(pool.length, new SeededRandom(seed * 131 + 7)).slice(0, args.labelled);
    for (const strategy of strategies) {
      const annotated = [...initial];
      const randomOrder = shuffledIndices(pool.length, new SeededRandom(seed * 977 + 3)).filter((i) => !initial.includes(i));
      for (let round = 0; round <= args.rounds; round++) {
        const where = `seed ${seed}/${seeds}, ${strategy.label}, round ${round}/${args.rounds} (${annotated.length} annotated)`;
        const subset = annotated.map((i) => pool[i]!);
        const entry = await trainNetwork(context, { choice, dataset: args.dataset, alpha, epochs, learningRate: args.learningRate, seed, name: 'annotation_study', livePlot: false, trainSubset: () => subset, label: where });
        results.push({ seed, strategy: strategy.label, annotated: annotated.length, f1: entry.evaluation!.summary.f1.mean, iou: entry.evaluation!.summary.iou.mean });
        entry.model.dispose();
        if (round === args.rounds) break;
        const open = pool.map((_, i) => i).filter((i) => !annotated.includes(i));
        if (strategy.id === 'random') {
          annotated.push(...randomOrder.filter((i) => !annotated.includes(i)).slice(0, args.suggest));
          continue;
        }
        const scores = await scoreWithEnsemble(context, {
          choice,
          dataset: args.dataset,
          alpha,
          epochs,
          learningRate: args.learningRate,
          members,
          bits: strategy.bits,
          // members' seeds differ from the evaluated network's; each draws from the annotated images
          seedOf: (member) => seed * 100 + member,
          labelledOf: () => subset,
          pool: open.map((i) => pool[i]!),
          label: (member) => `${where}: ensemble member ${member}/${members}`,
        });
        annotated.push(...suggestImages(scores.uncertainty, scores.descriptors, args.suggest).map((s) => open[s.index]!));
      }
    }
  }
  const rows = strategies.flatMap((strategy) =>
    Array.from({ length: args.rounds + 1 }, (_, round) => {
      const annotated = args.labelled + round * args.suggest;
      const group = results.filter((r) => r.strategy === strategy.label && r.annotated === annotated);
      const f1 = summarize(group.map((g) => g.f1));
      return { strategy: strategy.label, annotated, seeds: group.length, f1: f1.mean, f1StandardError: f1.count > 1 ? f1.std / Math.sqrt(f1.count) : 0 };
    }),
  );
  const table = markdownTable(
    ['annotated images', ...strategies.map((s) => `${s.label}: F1 (± s.e.)`)],
    Array.from({ length: args.rounds + 1 }, (_, round) => {
      const annotated = args.labelled + round * args.suggest;
      return [String(annotated), ...strategies.map((s) => {
        const row = rows.find((r) => r.strategy === s.label && r.annotated === annotated)!;
        return `${formatNumber(row.f1, 3)} ± ${formatNumber(row.f1StandardError, 2)}`;
      })];
    }),
  );
  const description =
    `Annotation study of ${networkLabel(choice)} alpha ${formatNumber(alpha, 4)} on ${args.dataset}: ${args.labelled} images annotated at first, ${args.suggest} more per round for ${args.rounds} rounds, ${seeds} seed(s), ${epochs} epochs per training; ` +
    `suggestions by an ensemble of ${members} networks on bootstrap samples of the annotated images${args.bits !== undefined ? ` (float, and quantized to ${args.bits} bits)` : ''}; F1 on each seed's held-out images.`;
  context.emit({ type: 'output', output: markdownOutput(`${description}\n\n${table}`, [jsonItem({ format: 'ccnet-annotation-study', network: args.network, dataset: args.dataset, alpha, epochs, ensemble: members, ...(args.bits !== undefined ? { bits: args.bits } : {}), seeds, rows, runs: results })]) });
  const points = rows.map((r) => ({ x: r.annotated, series: r.strategy, mean: r.f1, standardError: r.f1StandardError }));
  context.emit({
    type: 'output',
    output: plotOutput(
      meanPlot(`F1 against annotated images on ${args.dataset}`, points, { x: 'annotated images', y: 'F1 (Dice), held-out', series: 'strategy' }),
      table,
    ),
  });
}

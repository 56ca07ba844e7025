/**
 * `race NETWORK on DATASET accuracy >= X [using CALIBRATION] [epochs E] [lr X]`: time to a small
 * model, CC-Net against train-prune-fine-tune (the CC-Net paper's Table 3), in one run.
 *
 * - Prune path: train the base network (the calibration's base width) for E epochs, then prune
 *   it iteratively with L1 filter pruning (removing 25%, 50%, 75%, then 87.5% of the base's filters),
 *   fine-tuning max(1, E/4) epochs after each step, until the relative F1 (to the base) falls
 *   below the target; the last model meeting it is the result.
 * - CC-Net path: measure the dataset's complexity, select alpha from the calibration, train
 *   once at that width for E epochs.
 * Wall-clock times include evaluation on the held-out images; both paths use the same split,
 * seed and recipe, and relative F1 is measured against the prune path's base network.
 */
import { pruneL1 } from '../../engine/baselines/l1-prune';
import { formatAlpha } from '../../engine/ccnet/select';
import { graphParams } from '../../engine/models/graph';
import { NETWORKS } from '../../engine/models/registry';
import type { ExecutionContext } from '../context';
import type { TrainedModel } from '../models';
import { formatNumber, jsonItem, markdownOutput, markdownTable } from '../../protocol/outputs';
import { datasetSplit, evaluateOnTest, runTraining, trainNetwork } from '../training';
import { choose, type ConstraintArgs, type PredictionOptions } from './select';

export const RACE_PRUNE_RATIOS = [0.25, 0.5, 0.75, 0.875];

export async function runRace(args: { network: string; dataset: string; accuracy: number; using?: string; epochs?: number; learningRate?: number } & PredictionOptions, sessionContext: ExecutionContext): Promise<void> {
  // the race measures training time: it never restores a training from the cache
  const context: ExecutionContext = { ...sessionContext, freshTraining: true };
  const constraint: ConstraintArgs = { accuracy: args.accuracy };
  // CC-Net's choice (complexity measured, alpha selected) comes first, so bad input fails before any training;
  // its time counts toward the CC-Net path
  const chooseStart = performance.now();
  const outcome = await choose(args.network, args.dataset, constraint, args.using, context, args);
  const chooseSeconds = (performance.now() - chooseStart) / 1000;
  const { choice, calibration } = outcome;
  const plan = calibration.plan;
  const epochs = args.epochs ?? plan.epochs;
  const learningRate = args.learningRate ?? plan.learningRate;
  const seed = 1;
  const { train, test } = await datasetSplit(context, args.dataset, seed);

  // Prune path
  const pruneStart = performance.now();
  const base = await trainNetwork(context, { choice, dataset: args.dataset, alpha: plan.baseWidth, epochs, patience: plan.patience ?? 0, batch: plan.batch, learningRate, seed, name: 'race_base', label: 'prune path: base network' });
  const baseF1 = base.evaluation!.summary.f1.mean;
  let kept: TrainedModel = base;
  const steps: { ratio: number; params: number; f1: number; relativeF1: number }[] = [];
  for (const ratio of RACE_PRUNE_RATIOS) {
    // remove `ratio` of the base's filters in all, expressed relative to the current model
    const previousKeep = 1 - (steps.at(-1)?.ratio ?? 0);
    const step = 1 - (1 - ratio) / previousKeep;
    const pruned = pruneL1(kept.graph, kept.model, step, kept.inputShape, seed);
    const candidate: TrainedModel = { ...kept, name: `race_pruned_${ratio}`, model: pruned.model, graph: pruned.graph, params: graphParams(pruned.graph, kept.inputShape.channels), origin: `L1 pruning to ${ratio} of the filters`, train: undefined };
    await runTraining(context, pruned.model, train, { epochs: Math.max(1, Math.round(epochs / 4)), batchSize: plan.batch, learningRate, seed, auxiliaryLossWeights: NETWORKS[choice.network].auxiliaryLossWeights }, `prune path: ${ratio} pruned, fine-tuning`, false);
    await evaluateOnTest(context, candidate, test);
    const f1 = candidate.evaluation!.summary.f1.mean;
    steps.push({ ratio, params: candidate.params, f1, relativeF1: f1 / baseF1 });
    if (f1 / baseF1 < args.accuracy) {
      candidate.model.dispose();
      break;
    }
    if (kept !== base) kept.model.dispose();
    kept = candidate;
  }
  const pruneSeconds = (performance.now() - pruneStart) / 1000;

  // CC-Net path
  const ccnetStart = performance.now();
  const small = await trainNetwork(context, { choice, dataset: args.dataset, alpha: plan.baseWidth * outcome.selection.alpha, epochs, patience: plan.patience ?? 0, batch: plan.batch, learningRate, seed, name: 'race_ccnet', label: `CC-Net path: alpha ${formatAlpha(outcome.selection.alpha)}` });
  const ccnetSeconds = chooseSeconds + (performance.now() - ccnetStart) / 1000;

  const rows = [
    { method: 'CC-Net (select alpha, train once)', seconds: ccnetSeconds, params: small.params, f1: small.evaluation!.summary.f1.mean },
    { method: `train, prune, fine-tune (${steps.length} pruning steps)`, seconds: pruneSeconds, params: kept.params, f1: kept.evaluation!.summary.f1.mean },
  ];
  const table = markdownTable(
    ['method', 'time (s)', '#params', 'log10 #params', 'F1', 'relative F1'],
    rows.map((r) => [r.method, formatNumber(r.seconds, 3), r.params, formatNumber(Math.log10(r.params), 4), formatNumber(r.f1, 3), formatNumber(r.f1 / baseF1, 3)]),
  );
  const stepTable = markdownTable(['share of filters removed', '#params', 'F1', 'relative F1'], steps.map((s) => [String(s.ratio), s.params, formatNumber(s.f1, 3), formatNumber(s.relativeF1, 3)]));
  context.emit({
    type: 'output',
    output: markdownOutput(
      `**Time to a model keeping ${args.accuracy} of the base F1** on ${args.dataset} (${test.length} held-out images, ${epochs} epochs, ${context.session.backend?.summary}).\n\n${table}\n\nPruning steps:\n\n${stepTable}`,
      [jsonItem({ dataset: args.dataset, network: args.network, target: args.accuracy, baseF1, selectedAlpha: outcome.selection.alpha, rows, pruneSteps: steps })],
    ),
  });
  for (const model of new Set([base.model, kept.model, small.model])) model.dispose();
}

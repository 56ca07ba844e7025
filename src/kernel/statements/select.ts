/** `select` and `compress`: CC-Net's width choice for a new dataset, and the check of it. */
import { fitProblem } from '../../engine/ccnet/calibration-file';
import type { Calibration } from '../../engine/ccnet/calibration-file';
import { predictSlopes } from '../../engine/ccnet/predict';
import { predictWithInterval } from '../../engine/ccnet/regression';
import { formatAlpha, selectAlpha, type Constraint, type Selection } from '../../engine/ccnet/select';
import { describeModel, NETWORKS, parseNetworkId, type NetworkChoice } from '../../engine/models/registry';
import type { DatasetIndex } from '../../engine/data/dataset';
import { complexityForCalibration, resolveCalibration } from '../calibrations';
import type { ExecutionContext } from '../context';
import { formatNumber, jsonItem, markdownOutput, markdownTable, plotOutput, warningOutput } from '../outputs';
import { datasetSplit, overlayOutput, TRAINING_RECIPE, trainNetwork } from '../training';
import { UserInputError } from '../user-errors';
import { selectionTable, slopePlot } from '../views/calibration';
import { modelJson, modelsTable } from '../views/training';

export interface ConstraintArgs {
  accuracy?: number;
  disk?: { value: number; unit: string };
  bits?: number;
  memory?: { value: number; unit: string };
  batch?: number;
  input?: number[];
}

const UNIT_MB: Record<string, number> = { KB: 1e-3, MB: 1, GB: 1e3 };

function toConstraint(args: ConstraintArgs, calibration: Calibration): Constraint {
  if (args.accuracy !== undefined) return { kind: 'accuracy', target: args.accuracy };
  if (args.disk) return { kind: 'disk', budgetMB: args.disk.value * UNIT_MB[args.disk.unit]!, bitsPerWeight: args.bits ?? 32 };
  if (args.memory) {
    const [heightPx = calibration.plan.inputSizePx, widthPx = heightPx] = args.input ?? [];
    return { kind: 'memory', budgetMB: args.memory.value * UNIT_MB[args.memory.unit]!, batch: args.batch ?? 1, heightPx, widthPx };
  }
  throw new UserInputError('give one constraint: accuracy >= X, disk <= N MB or memory <= N MB');
}

/**
 * A warning when a dataset will train another way than the calibration's runs did (on patches
 * or on whole images): the predictions assume the calibration's recipe.
 */
export function recipeMismatch(calibration: Calibration, index: DatasetIndex): string | undefined {
  const patchPx = calibration.plan.patchPx;
  if (patchPx === index.patchPx) return undefined;
  const calibrated = patchPx ? `${patchPx}x${patchPx} patches of images at their working size` : `whole images at ${calibration.plan.inputSizePx}x${calibration.plan.inputSizePx}`;
  const here = index.patchPx ? `${index.patchPx}x${index.patchPx} patches` : `whole images${index.sizePx ? ` at ${index.sizePx}x${index.sizePx}` : ''}`;
  const advice = patchPx ? `define it with patch ${patchPx}` : `define it with size ${calibration.plan.inputSizePx} and no patch`;
  return `the calibration's networks trained on ${calibrated}, dataset ${index.name} trains on ${here}; the predictions assume the calibration's recipe: ${advice}`;
}

/**
 * A warning when the calibration's networks were trained with another training recipe than this
 * version trains with (initialisation, loss, restarts): a selection predicts how networks trained
 * now degrade, so a calibration of another recipe may mispredict them.
 */
export function trainingRecipeMismatch(calibrationName: string, calibration: Calibration, currentRecipe: string): string | undefined {
  const recipe = calibration.plan.recipe;
  if (recipe === currentRecipe) return undefined;
  const then = recipe ? `with "${recipe}"` : 'before the training recipe was recorded in calibration files';
  const again = calibration.command ? `: run \`${calibration.command}\` again` : ' with the same datasets and plan';
  return `calibration ${calibrationName} was trained ${then}; this version trains with "${currentRecipe}", so its predictions may not hold for networks trained now. Recalibrate${again}`;
}

/** The size functions at widths relative to the calibration's base width. */
function relativeSize(choice: NetworkChoice, calibration: Calibration) {
  const base = calibration.plan.baseWidth;
  const channels = calibration.plan.channels;
  const input = { heightPx: calibration.plan.inputSizePx, widthPx: calibration.plan.inputSizePx, channels };
  return {
    paramsAt: (alpha: number) => describeModel(choice, base * alpha, input).params,
    activationBytesAt: (alpha: number, batch: number, heightPx: number, widthPx: number) => describeModel(choice, base * alpha, { heightPx, widthPx, channels }).activationMB * 1e6 * batch,
    baseFilters: NETWORKS[choice.network].baseFilters.map((f) => Math.max(1, Math.round(f * base))),
  };
}

interface SelectOutcome {
  choice: NetworkChoice;
  calibrationName: string;
  calibration: Calibration;
  complexity: Record<string, number>;
  selection: Selection;
  slopes: ReturnType<typeof predictSlopes>;
}

export async function choose(network: string, dataset: string, constraint: ConstraintArgs, using: string | undefined, context: ExecutionContext): Promise<SelectOutcome> {
  const choice = parseNetworkId(network);
  const index = context.session.dataset(dataset);
  const { name, calibration } = await resolveCalibration(context, network, using);
  const mismatch = recipeMismatch(calibration, index);
  const warnings = [mismatch, trainingRecipeMismatch(name, calibration, TRAINING_RECIPE)].filter((w): w is string => w !== undefined);
  if (warnings.length > 0) context.emit({ type: 'output', output: warningOutput(warnings) });
  if (!calibration.fit) throw new UserInputError(`calibration ${name} cannot predict: ${fitProblem(calibration) ?? 'it has no fit'}; finish it (run its calibrate cell again) or calibrate with more epochs`);
  const complexity = await complexityForCalibration(context, dataset);
  const slopes = predictSlopes(calibration.fit, { j: complexity.j!, b: complexity.b! });
  const selection = selectAlpha(relativeSize(choice, calibration), slopes, toConstraint(constraint, calibration));
  return { choice, calibrationName: name, calibration, complexity, selection, slopes };
}

function selectionJson(outcome: SelectOutcome, dataset: string) {
  const base = outcome.calibration.plan.baseWidth;
  const candidate = (c: Selection | NonNullable<Selection['nextSmaller']>) => ({
    alpha: c.alpha * base,
    relativeAlpha: c.alpha,
    params: c.params,
    log10Params: c.log10Params,
    sizeMB: c.sizeMB,
    sizeAtBitsMB: c.sizeAtBitsMB,
    ...(c.memoryMB !== undefined ? { memoryMB: c.memoryMB } : {}),
    predicted: { f1: c.predicted.f1, iou: c.predicted.iou },
  });
  return {
    network: outcome.calibration.plan.network,
    dataset,
    case: outcome.selection.case,
    feasible: outcome.selection.feasible,
    ...(outcome.selection.reason ? { reason: outcome.selection.reason } : {}),
    calibration: outcome.calibrationName,
    baseWidth: base,
    complexity: { j: outcome.complexity.j, b: outcome.complexity.b, jb: outcome.slopes.jb },
    predictedSlope: { f1: outcome.slopes.f1, iou: outcome.slopes.iou },
    ...candidate(outcome.selection),
    nextSmaller: outcome.selection.nextSmaller ? candidate(outcome.selection.nextSmaller) : null,
  };
}

function describeSelection(outcome: SelectOutcome, dataset: string): string {
  const s = outcome.selection;
  const plan = outcome.calibration.plan;
  const why =
    s.case === '2'
      ? `the smallest width predicted to keep the target share of the base F1 (case 2)`
      : s.case === '1a'
        ? 'the largest width whose weights fit the disk budget (case 1a)'
        : 'the largest width whose weights and activations fit the memory budget (case 1b)';
  const head = s.feasible
    ? `For **${dataset}** (J ${formatNumber(outcome.complexity.j!, 4)}, B ${formatNumber(outcome.complexity.b!, 4)}): **alpha ${formatAlpha(s.alpha)}** of the calibration's base width ${formatNumber(plan.baseWidth, 4)}, ${why}.`
    : `No width meets the constraint: ${s.reason}. The smallest width is shown.`;
  return `${head} Predictions are from calibration ${outcome.calibrationName} (${plan.network}, ${outcome.calibration.datasets.length} datasets) and are predictions, with 90% intervals.\n\n${selectionTable(s, plan.baseWidth)}`;
}

export async function runSelect(args: { network: string; dataset: string; constraint: ConstraintArgs; using?: string }, context: ExecutionContext): Promise<void> {
  const outcome = await choose(args.network, args.dataset, args.constraint, args.using, context);
  const fit = outcome.calibration.fit!;
  context.emit({ type: 'output', output: markdownOutput(describeSelection(outcome, args.dataset), [jsonItem(selectionJson(outcome, args.dataset))], { alpha: outcome.selection.alpha }) });
  const band = (metric: 'f1' | 'iou', x: number) => predictWithInterval(fit[metric].fit, x);
  context.emit({ type: 'output', output: plotOutput(slopePlot(fit, band, { name: args.dataset, j: outcome.slopes.j, jb: outcome.slopes.jb }), 'Slope against complexity with the new dataset') });
}

export interface CompressArgs {
  network: string;
  dataset: string;
  constraint: ConstraintArgs;
  using?: string;
  epochs?: number;
  learningRate?: number;
  seed?: number;
  name?: string;
}

export async function runCompress(args: CompressArgs, context: ExecutionContext): Promise<void> {
  const outcome = await choose(args.network, args.dataset, args.constraint, args.using, context);
  const plan = outcome.calibration.plan;
  context.emit({ type: 'output', output: markdownOutput(describeSelection(outcome, args.dataset)) });
  if (!outcome.selection.feasible) throw new UserInputError(`cannot compress ${args.network} for ${args.dataset}: ${outcome.selection.reason}`);
  const name = args.name ?? `${args.network.replace(/-/g, '_')}_${args.dataset}_compressed`;
  const common = { choice: outcome.choice, dataset: args.dataset, epochs: args.epochs ?? plan.epochs, batch: plan.batch, learningRate: args.learningRate ?? plan.learningRate, seed: args.seed ?? 1 };
  const base = await trainNetwork(context, { ...common, alpha: plan.baseWidth, name: `${name}_base`, label: `base (alpha 1)` });
  context.session.setModel(base);
  // When the selection keeps the full base width, the base network is the answer.
  const small =
    outcome.selection.alpha === 1
      ? { ...base, name }
      : await trainNetwork(context, { ...common, alpha: plan.baseWidth * outcome.selection.alpha, name, label: `selected (alpha ${formatAlpha(outcome.selection.alpha)})` });
  context.session.setModel(small);
  const measured = { f1: small.evaluation!.summary.f1.mean / base.evaluation!.summary.f1.mean, iou: small.evaluation!.summary.iou.mean / base.evaluation!.summary.iou.mean };
  const predicted = outcome.selection.predicted;
  const within = (m: number, p: { low: number; high: number }) => (m >= p.low && m <= p.high ? 'inside' : 'outside');
  const report = {
    ...selectionJson(outcome, args.dataset),
    measured: { relativeF1: measured.f1, relativeIoU: measured.iou, baseF1: base.evaluation!.summary.f1.mean, selectedF1: small.evaluation!.summary.f1.mean, baseIoU: base.evaluation!.summary.iou.mean, selectedIoU: small.evaluation!.summary.iou.mean },
    targetMet: args.constraint.accuracy === undefined ? null : measured.f1 >= args.constraint.accuracy,
    parameterReduction: base.params / small.params,
    latencyReduction: base.latency!.medianMsPerImage / small.latency!.medianMsPerImage,
    models: [modelJson(base), modelJson(small)],
  };
  const text = [
    `**Measured against predicted** on ${small.evaluation!.perImage.length} held-out images of ${args.dataset}:`,
    '',
    markdownTable(
      ['', 'predicted [90%]', 'measured', 'interval'],
      [
        ['relative F1', `${formatNumber(predicted.f1.value, 3)} [${formatNumber(predicted.f1.low, 3)}, ${formatNumber(predicted.f1.high, 3)}]`, formatNumber(measured.f1, 3), within(measured.f1, predicted.f1)],
        ['relative IoU', `${formatNumber(predicted.iou.value, 3)} [${formatNumber(predicted.iou.low, 3)}, ${formatNumber(predicted.iou.high, 3)}]`, formatNumber(measured.iou, 3), within(measured.iou, predicted.iou)],
      ],
    ),
    '',
    `Parameters reduced **${formatNumber(report.parameterReduction, 3)}x**, latency **${formatNumber(report.latencyReduction, 3)}x** (${small.latency!.backend}).` +
      (report.targetMet === null ? '' : ` Target relative F1 >= ${args.constraint.accuracy}: **${report.targetMet ? 'met' : 'not met'}**.`),
    '',
    modelsTable([base, small]),
  ].join('\n');
  context.emit({ type: 'output', output: markdownOutput(text, [jsonItem(report)], { parameterReduction: report.parameterReduction, measuredRelativeF1: measured.f1 }) });
  context.emit({ type: 'output', output: plotOutput(measuredVsPredictedPlot(predicted, measured), 'Measured against predicted relative accuracy') });
  const { test } = await datasetSplit(context, args.dataset, small.seed);
  context.emit({ type: 'output', output: await overlayOutput(small, test) });
}

function measuredVsPredictedPlot(predicted: Selection['predicted'], measured: { f1: number; iou: number }): Record<string, unknown> {
  const values = (['f1', 'iou'] as const).flatMap((m) => [
    { metric: m === 'f1' ? 'relative F1' : 'relative IoU', kind: 'predicted', value: predicted[m].value, low: predicted[m].low, high: predicted[m].high },
    { metric: m === 'f1' ? 'relative F1' : 'relative IoU', kind: 'measured', value: measured[m], low: measured[m], high: measured[m] },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Compressed network: measured against predicted (90% interval)',
    data: { values },
    width: 300,
    height: { step: 40 },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'metric', type: 'nominal', title: null }, yOffset: { field: 'kind' }, x: { field: 'low', type: 'quantitative', title: 'relative to the base network', scale: { zero: false } }, x2: { field: 'high' }, color: { field: 'kind', type: 'nominal', title: null } } },
      { mark: { type: 'point', filled: true, size: 80, tooltip: true }, encoding: { y: { field: 'metric', type: 'nominal' }, yOffset: { field: 'kind' }, x: { field: 'value', type: 'quantitative' }, color: { field: 'kind', type: 'nominal' } } },
    ],
  };
}

/** `select`: CC-Net's width choice for a new dataset (compress.ts trains and checks it). */
import { fitOf, fitProblem } from '../../engine/ccnet/calibration-file';
import type { Calibration } from '../../engine/ccnet/calibration-file';
import type { CalibrationFit } from '../../engine/ccnet/calibration-fit';
import { domainWarnings, predictDataset, type DatasetPrediction } from '../../engine/ccnet/predict';
import { FitError } from '../../engine/ccnet/regression';
import { formatAlpha, selectAlpha, type Constraint, type Selection } from '../../engine/ccnet/select';
import { onnxFileBytes } from '../../engine/export/onnx-export';
import { storedForm } from '../../engine/export/stored-form';
import { checkSegmentationNetwork, describeModel, NETWORKS, parseNetworkId, type NetworkChoice } from '../../engine/models/registry';
import type { DatasetIndex } from '../../engine/data/dataset';
import { complexityForCalibration, resolveCalibration } from '../calibrations';
import { datasetProbes, refineWithProbe } from '../../engine/ccnet/probe';
import { trackRecord, type TrackRecord } from '../../engine/ccnet/track-record';
import { probeNewDataset } from '../probe-training';
import type { ExecutionContext } from '../context';
import { formatNumber, jsonItem, markdownOutput, plotOutput, warningOutput } from '../../protocol/outputs';
import { TRAINING_RECIPE } from '../training';
import { UserInputError } from '../user-errors';
import { measureTitle, selectionTable, slopePlot } from '../views/calibration';

export interface ConstraintArgs {
  accuracy?: number;
  disk?: { value: number; unit: string };
  bits?: number;
  memory?: { value: number; unit: string };
  batch?: number;
  input?: number[];
}

export const UNIT_MB: Record<string, number> = { KB: 1e-3, MB: 1, GB: 1e3 };

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
  if (patchPx === index.patchPx) {
    const auto = calibration.plan.datasetScale === 'auto';
    if (auto === (index.autoScale !== undefined)) return undefined;
    // images no larger than the patch keep their resolution under scale auto too
    if (auto && patchPx !== undefined && index.pairs.every((p) => Math.min(p.widthPx, p.heightPx) <= patchPx)) return undefined;
    return auto
      ? `the calibration downscaled every dataset to fit its structures to the patch (scale auto), dataset ${index.name} is at its stored resolution; the predictions assume the calibration's preparation: define it with patch ${patchPx} scale auto`
      : `the calibration's datasets were at their stored resolution, dataset ${index.name} is downscaled (scale auto); the predictions assume the calibration's preparation: define it without scale auto`;
  }
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

/**
 * The size functions at widths relative to the calibration's base width: #params and
 * activations at the calibration's input, the file bytes at the input the dataset trains with
 * (`exported`: its patch or image size and channels), which is what export writes.
 */
function relativeSize(choice: NetworkChoice, calibration: Calibration, exported: { heightPx: number; widthPx: number; channels: number }) {
  const base = calibration.plan.baseWidth;
  const channels = calibration.plan.channels;
  const input = { heightPx: calibration.plan.inputSizePx, widthPx: calibration.plan.inputSizePx, channels };
  const graphAt = (alpha: number) => NETWORKS[choice.network].graph(base * alpha, choice.squeeze);
  return {
    paramsAt: (alpha: number) => describeModel(choice, base * alpha, input).params,
    fileBytesAt: (alpha: number, bits: number) => onnxFileBytes(graphAt(alpha), exported, storedForm(graphAt(alpha), exported.channels, bits)),
    activationBytesAt: (alpha: number, batch: number, heightPx: number, widthPx: number) => describeModel(choice, base * alpha, { heightPx, widthPx, channels }).activationMB * 1e6 * batch,
    baseFilters: NETWORKS[choice.network].baseFilters.map((f) => Math.max(1, Math.round(f * base))),
  };
}

export interface SelectOutcome {
  choice: NetworkChoice;
  calibrationName: string;
  calibration: Calibration;
  fit: CalibrationFit;
  complexity: Record<string, number>;
  selection: Selection;
  prediction: DatasetPrediction;
  /** Where the prediction leaves the calibrated domain (complexity, width), as sentences. */
  domainWarnings: string[];
  /** With `probe`: the dataset's probe and the slope before and after it. */
  probe?: ProbeOutcome;
  /** For an accuracy target: how the calibration's predictions held on its own datasets at that target. */
  trackRecord?: TrackRecord | { unavailable: string };
}

export interface ProbeOutcome {
  epochs: number;
  alpha: number;
  baseF1: number;
  narrowF1: number;
  relativeF1: number;
  trainS: number;
  priorSlope: number;
  priorStdError: number;
  slope: number;
  stdError: number;
  /** The probe's error (converged - probe relative F1) on the calibration datasets. */
  error: { mean: number; stdDev: number; n: number };
}

/** How a selection predicts: the measure (default: the calibration's choice) and whether it may go below the calibrated widths. */
export interface PredictionOptions {
  measure?: string;
  allowExtrapolation?: boolean;
  /** Refine the slope by a probe of the dataset (probe-training.ts). */
  probe?: boolean;
}

export async function choose(network: string, dataset: string, constraint: ConstraintArgs, using: string | undefined, context: ExecutionContext, options: PredictionOptions = {}): Promise<SelectOutcome> {
  const choice = parseNetworkId(network);
  checkSegmentationNetwork(choice.network, 'select and compress');
  const index = context.session.dataset(dataset);
  const { name, calibration } = await resolveCalibration(context, network, using);
  const mismatch = recipeMismatch(calibration, index);
  const warnings = [mismatch, trainingRecipeMismatch(name, calibration, TRAINING_RECIPE)].filter((w): w is string => w !== undefined);
  if (warnings.length > 0) context.emit({ type: 'output', output: warningOutput(warnings) });
  if (options.probe && !calibration.probe) {
    throw new UserInputError(`calibration ${name} has no probe runs, so a probe of ${dataset} has nothing to be compared with: calibrate with probe E (e.g. probe 4), or drop probe`);
  }
  if (!calibration.fit) throw new UserInputError(`calibration ${name} cannot predict: ${fitProblem(calibration) ?? 'it has no fit'}; finish it (run its calibrate cell again) or calibrate with more epochs`);
  let fit = calibration.fit;
  if (options.measure) {
    try {
      fit = fitOf(calibration, { measure: options.measure });
    } catch (error) {
      if (error instanceof FitError) throw new UserInputError(`measure ${options.measure}: ${error.message}`);
      throw error;
    }
  }
  const complexity = await complexityForCalibration(context, dataset);
  let prediction = predictDataset(fit, complexity);
  let probe: ProbeOutcome | undefined;
  if (options.probe) {
    const own = await probeNewDataset(context, choice, dataset, calibration.plan, calibration.probe!);
    if (!Number.isFinite(own.relativeF1)) {
      throw new UserInputError(`probe: after ${calibration.probe!.epochs} epochs the base network (alpha 1) reached F1 ${own.baseF1.toFixed(3)} on ${dataset} (median over seeds), and no seed's base reached 0.1, so the probe cannot read a relative F1; select without probe (its trainings are cached), or check the masks`);
    }
    const refined = refineWithProbe(prediction.f1, fit, datasetProbes(calibration.probe!.runs), own);
    prediction = { ...prediction, f1: refined.prediction };
    probe = { epochs: calibration.probe!.epochs, alpha: own.alpha, baseF1: own.baseF1, narrowF1: own.narrowF1, relativeF1: own.relativeF1, trainS: own.trainS, priorSlope: refined.refined.prior.slope, priorStdError: refined.refined.prior.stdError, slope: refined.refined.slope, stdError: refined.refined.stdError, error: refined.error };
  }
  const first = (await context.session.samplesOf(dataset, context.signal))[0]!;
  const exported = { heightPx: index.patchPx ?? first.heightPx, widthPx: index.patchPx ?? first.widthPx, channels: first.channels };
  const selection = selectAlpha(relativeSize(choice, calibration, exported), prediction, toConstraint(constraint, calibration), { allowExtrapolation: options.allowExtrapolation });
  const domain = domainWarnings(prediction, selection.predicted.f1.widthInside, formatAlpha);
  if (domain.length > 0) context.emit({ type: 'output', output: warningOutput(domain) });
  return { choice, calibrationName: name, calibration, fit, complexity, selection, prediction, domainWarnings: domain, ...(probe ? { probe } : {}) };
}

/**
 * The selection with the calibration's track record at its accuracy target (the same measure,
 * probed when the selection was), for select and compress to show; a budget has none. race
 * leaves it out: it times the choice.
 */
export function withTrackRecord(outcome: SelectOutcome, constraint: ConstraintArgs, options: PredictionOptions = {}): SelectOutcome {
  if (constraint.accuracy === undefined) return outcome;
  return { ...outcome, trackRecord: trackRecord(outcome.calibration, constraint.accuracy, { ...(options.measure ? { measure: options.measure } : {}), probe: outcome.probe !== undefined }) };
}

const slopeJson = (p: DatasetPrediction['f1']) => ({ measure: p.measure, x: p.x, slope: p.slope, standardError: p.slopeStdError, exponent: p.exponent });

export function selectionJson(outcome: SelectOutcome, dataset: string) {
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
    complexity: outcome.complexity,
    predictedSlope: { f1: slopeJson(outcome.prediction.f1), iou: slopeJson(outcome.prediction.iou) },
    ...(outcome.probe ? { probe: outcome.probe } : {}),
    ...(outcome.trackRecord ? { trackRecord: outcome.trackRecord } : {}),
    domain: {
      measure: outcome.prediction.f1.measure,
      measureValue: outcome.prediction.f1.x,
      complexityInside: outcome.prediction.f1.complexityInside,
      complexityRange: outcome.prediction.f1.complexityRange,
      widthInside: outcome.selection.predicted.f1.widthInside,
      smallestCalibratedAlpha: outcome.prediction.smallestCalibratedAlpha,
      warnings: outcome.domainWarnings,
    },
    ...candidate(outcome.selection),
    nextSmaller: outcome.selection.nextSmaller ? candidate(outcome.selection.nextSmaller) : null,
  };
}

export function describeSelection(outcome: SelectOutcome, dataset: string): string {
  const s = outcome.selection;
  const plan = outcome.calibration.plan;
  const why =
    s.case === '2'
      ? `the smallest width predicted to keep the target share of the base F1 (case 2)`
      : s.case === '1a'
        ? 'the largest width whose weights fit the disk budget (case 1a)'
        : 'the largest width whose weights and activations fit the memory budget (case 1b)';
  const f1 = outcome.prediction.f1;
  const measure = `${measureTitle(outcome.fit.f1.complexity)}${f1.measure === 'none' ? '' : ` ${formatNumber(f1.x, 4)}`}`;
  const head = s.feasible
    ? `For **${dataset}** (J ${formatNumber(outcome.complexity.j!, 4)}, B ${formatNumber(outcome.complexity.b!, 4)}): **alpha ${formatAlpha(s.alpha)}** of the calibration's base width ${formatNumber(plan.baseWidth, 4)}, ${why}.`
    : `No width meets the constraint: ${s.reason}. The smallest width is shown.`;
  const domain = `Predicted from ${measure} (${outcome.fit.f1.complexity.chosenBy === 'request' ? 'as requested' : 'the measure with the least held-out error'}); complexity ${f1.complexityInside ? 'inside' : '**outside**'} the calibration datasets' range, width ${s.predicted.f1.widthInside ? 'inside' : '**below**'} the calibrated widths (down to alpha ${formatAlpha(outcome.prediction.smallestCalibratedAlpha)}).`;
  const p = outcome.probe;
  const probed = p
    ? ` Probe: after ${p.epochs} epochs alpha ${formatAlpha(p.alpha)} reached F1 ${formatNumber(p.narrowF1, 3)} against the base's ${formatNumber(p.baseF1, 3)} (relative ${formatNumber(p.relativeF1, 3)}, ${formatNumber(p.trainS, 3)} s of training); with the probe error of the calibration datasets (mean ${formatNumber(p.error.mean, 3)}, s.d. ${formatNumber(p.error.stdDev, 3)}, ${p.error.n} datasets) the F1 slope is ${formatNumber(p.slope, 3)} ± ${formatNumber(p.stdError, 3)}, from ${formatNumber(p.priorSlope, 3)} ± ${formatNumber(p.priorStdError, 3)} by complexity alone.`
    : '';
  return `${head} ${domain}${probed} Predictions are from calibration ${outcome.calibrationName} (${plan.network}, ${outcome.calibration.datasets.length} datasets) and are predictions, with 90% intervals.${describeTrackRecord(outcome.trackRecord)}\n\n${selectionTable(s, plan.baseWidth)}`;
}

/** One sentence on how such predictions held on the calibration's own datasets (empty without an accuracy target). */
export function describeTrackRecord(record: SelectOutcome['trackRecord']): string {
  if (!record) return '';
  if ('unavailable' in record) return ` Its track record cannot be shown: ${record.unavailable}.`;
  return (
    ` Its track record at ${record.target} (each of its ${record.datasets} datasets left out in turn${record.probed ? ', with their probes' : ''}, as \`ccnet lodo\`): the measured smallest width meeting the target was selected for ${record.oracleHits} of ${record.datasets}, a narrower one (target missed) for ${record.misses}; ` +
    `mean |predicted - measured| relative F1 ${formatNumber(record.meanAbsoluteGap, 3)}; the 90% intervals held ${formatNumber(100 * record.coverage, 3)}% of the measurements.`
  );
}

export async function runSelect(args: { network: string; dataset: string; constraint: ConstraintArgs; using?: string } & PredictionOptions, context: ExecutionContext): Promise<void> {
  const outcome = withTrackRecord(await choose(args.network, args.dataset, args.constraint, args.using, context, args), args.constraint, args);
  context.emit({ type: 'output', output: markdownOutput(describeSelection(outcome, args.dataset), [jsonItem(selectionJson(outcome, args.dataset))], { alpha: outcome.selection.alpha }) });
  context.emit({ type: 'output', output: plotOutput(slopePlot(outcome.fit, { name: args.dataset, prediction: outcome.prediction }), 'Slope against complexity with the new dataset') });
}

/** `calibrate`, `load calibration`, `save`: CC-Net's one-time step and its files. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fitProblem, newCalibration, parseCalibration, pendingRuns, serializeCalibration, withRun, type Calibration, type CalibrationPlan } from '../../engine/ccnet/calibration-file';
import { predictWithInterval } from '../../engine/ccnet/regression';
import { formatAlpha } from '../../engine/ccnet/select';
import { checkInputSize, parseNetworkId } from '../../engine/models/registry';
import { complexityForCalibration, readCalibrationFile } from '../calibrations';
import type { ExecutionContext } from '../context';
import { formatNumber, jsonItem, markdownOutput, markdownTable, newOutputId, plotOutput } from '../outputs';
import { TRAINING_RECIPE, trainNetwork } from '../training';
import { UserInputError } from '../user-errors';
import { degradationPlot, fitTable, slopePlot } from '../views/calibration';

export interface CalibrateArgs {
  network: string;
  datasets: string[];
  alphas: number[];
  epochs?: number;
  base?: number;
  seeds?: number[];
  batch?: number;
  learningRate?: number;
  name?: string;
}

export const CALIBRATION_DEFAULT_EPOCHS = 20;

/**
 * Where finished runs are saved as they finish, for resuming: per calibration name and network,
 * so that two calibrations of different networks under the same name (two CLI runs side by side)
 * never overwrite each other's runs.
 */
function autosavePath(context: ExecutionContext, name: string, network: string): string {
  return join(context.cacheDir, 'calibrations', `${name}.${network}.json`);
}

function samePlan(a: Calibration, plan: CalibrationPlan, datasets: { name: string; source: string }[]): boolean {
  return JSON.stringify(a.plan) === JSON.stringify(plan) && JSON.stringify(a.datasets.map((d) => [d.name, d.source])) === JSON.stringify(datasets.map((d) => [d.name, d.source]));
}

export async function runCalibrate(args: CalibrateArgs, context: ExecutionContext): Promise<void> {
  const choice = parseNetworkId(args.network);
  if (!args.alphas.includes(1)) throw new UserInputError('alphas must include 1: relative accuracy is measured against the network at alpha 1');
  if (args.alphas.length < 2) throw new UserInputError('give at least two alphas (e.g. alphas 1, 1/2, 1/4, 1/8): a degradation line needs more than one width');
  if (new Set(args.datasets).size < 2) throw new UserInputError('calibrate on at least two different datasets (three or more give prediction intervals): the slope is fitted against complexity across datasets');
  const name = args.name ?? `${args.network.replace(/-/g, '_')}_calibration`;
  const backend = await context.session.ensureBackend();

  const datasetInfo = [];
  let inputSizePx = 0;
  let channels = 0;
  const patchSizes = new Set<number | undefined>();
  for (const dataset of args.datasets) {
    const index = context.session.dataset(dataset);
    const samples = await context.session.samplesOf(dataset, context.signal);
    const first = samples[0]!;
    patchSizes.add(index.patchPx);
    checkInputSize(choice.network, index.patchPx ?? first.heightPx, index.patchPx ?? first.widthPx);
    // #params do not depend on the input size, so datasets may differ (e.g. thin structures need more pixels);
    // the plan records the network input of the first dataset (its patch, or its image size), used for memory budgets.
    inputSizePx ||= index.patchPx ?? first.heightPx;
    channels = Math.max(channels, first.channels);
    datasetInfo.push({ name: dataset, source: index.root, imageCount: samples.length, complexity: await complexityForCalibration(context, dataset) });
  }
  if (patchSizes.size > 1) {
    const described = args.datasets.map((d) => `${d}: ${context.session.dataset(d).patchPx ? `patch ${context.session.dataset(d).patchPx}` : 'whole images'}`).join(', ');
    throw new UserInputError(`calibrate datasets that train the same way: give all of them the same patch, or none (${described})`);
  }
  const patchPx = [...patchSizes][0];
  const plan: CalibrationPlan = {
    network: args.network,
    baseWidth: args.base ?? 1,
    inputSizePx,
    ...(patchPx ? { patchPx } : {}),
    channels,
    alphas: [...args.alphas].sort((a, b) => b - a),
    epochs: args.epochs ?? CALIBRATION_DEFAULT_EPOCHS,
    seeds: args.seeds ?? [1],
    batch: args.batch ?? 4,
    learningRate: args.learningRate ?? 5e-5,
    recipe: TRAINING_RECIPE,
  };

  // Resume: the same plan in this session, or autosaved by an earlier kernel.
  let calibration = context.session.calibrations.get(name);
  if (!calibration || !samePlan(calibration, plan, datasetInfo)) {
    const autosave = autosavePath(context, name, plan.network);
    const saved = existsSync(autosave) ? parseCalibration(await readFile(autosave, 'utf8'), autosave) : undefined;
    calibration = saved && samePlan(saved, plan, datasetInfo) ? saved : newCalibration(plan, backend.summary, datasetInfo);
  }
  const pending = pendingRuns(calibration);
  const total = plan.alphas.length * datasetInfo.length * plan.seeds.length;
  const resumed = total - pending.length;
  const progressId = newOutputId('calibration-progress');
  const showRuns = (first: boolean) => {
    const rows = calibration!.runs.map((r) => [r.dataset, formatAlpha(r.alpha), formatNumber(r.width, 4), r.seed, r.params, formatNumber(r.f1, 3), formatNumber(r.iou, 3), formatNumber(r.trainMs / 1000, 3), r.restarts ?? 0]);
    const text = `Calibration **${name}**: ${calibration!.runs.length}/${total} runs done${resumed ? ` (${resumed} kept from an earlier, interrupted run)` : ''}.\n\n${markdownTable(['dataset', 'alpha', 'width', 'seed', '#params', 'F1', 'IoU', 'training (s)', 'restarts'], rows)}`;
    context.emit({ type: first ? 'output' : 'update', output: { ...markdownOutput(text), id: progressId } });
  };
  showRuns(true);
  for (const [i, run] of pending.entries()) {
    const width = plan.baseWidth * run.alpha;
    const entry = await trainNetwork(context, {
      choice,
      dataset: run.dataset,
      alpha: width,
      epochs: plan.epochs,
      batch: plan.batch,
      learningRate: plan.learningRate,
      seed: run.seed,
      name: `${name}-${run.dataset}-${formatAlpha(run.alpha)}`,
      livePlot: false,
      label: `run ${resumed + i + 1}/${total}: ${run.dataset} alpha ${formatAlpha(run.alpha)}`,
    });
    const summary = entry.evaluation!.summary;
    calibration = withRun(calibration, {
      dataset: run.dataset,
      alpha: run.alpha,
      seed: run.seed,
      width,
      params: entry.params,
      f1: summary.f1.mean,
      iou: summary.iou.mean,
      metrics: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, v.mean])),
      trainMs: entry.train!.trainMs,
      epochsRun: entry.train!.epochsRun,
      restarts: entry.restarts?.length ?? 0,
    });
    entry.model.dispose();
    context.session.calibrations.set(name, calibration);
    await mkdir(dirname(autosavePath(context, name, plan.network)), { recursive: true });
    await writeFile(autosavePath(context, name, plan.network), serializeCalibration(calibration));
    showRuns(false);
  }
  const final = parseCalibration(serializeCalibration(calibration), name);
  context.session.calibrations.set(name, final);
  await showCalibration(context, name, final);
}

export async function showCalibration(context: ExecutionContext, name: string, calibration: Calibration): Promise<void> {
  const fit = calibration.fit;
  const plan = calibration.plan;
  const header = `Calibration **${name}**: ${plan.network}, base width ${formatNumber(plan.baseWidth, 4)}, input ${plan.inputSizePx}x${plan.inputSizePx}x${plan.channels}${plan.patchPx ? ' (patches of images at their working size)' : ''}, alphas ${plan.alphas.map(formatAlpha).join(', ')}, ${plan.epochs} epochs, seeds ${plan.seeds.join(', ')}, trained on ${calibration.backend}.${plan.recipe ? ` Training: ${plan.recipe}.` : ''}`;
  if (!fit) {
    context.emit({ type: 'output', output: markdownOutput(`${header}\n\nNo fit yet: ${fitProblem(calibration) ?? 'not enough runs'}.`, [jsonItem(JSON.parse(serializeCalibration(calibration)))]) });
    return;
  }
  context.emit({ type: 'output', output: markdownOutput(`${header}\n\n${fitTable(fit)}`, [jsonItem(JSON.parse(serializeCalibration(calibration)))], { calibration: name }) });
  context.emit({ type: 'output', output: plotOutput(degradationPlot(fit), fitTable(fit)) });
  const band = (metric: 'f1' | 'iou', x: number) => predictWithInterval(fit[metric].fit, x);
  context.emit({ type: 'output', output: plotOutput(slopePlot(fit, band), 'Slope against complexity (open in CC-Net Studio to see the plot)') });
}

export async function runLoadCalibration(args: { path: string; name: string }, context: ExecutionContext): Promise<void> {
  const path = resolve(context.baseDir, args.path);
  const calibration = await readCalibrationFile(path);
  context.session.calibrations.set(args.name, calibration);
  await showCalibration(context, args.name, calibration);
}

export async function runSave(args: { name: string; path: string }, context: ExecutionContext): Promise<void> {
  const calibration = context.session.calibrations.get(args.name);
  if (!calibration) {
    if (context.session.models.has(args.name)) throw new UserInputError(`${args.name} is a model; save writes calibrations (use export ${args.name} to "FOLDER" for models)`);
    throw new UserInputError(`calibration '${args.name}' is not defined in this session; make it with calibrate or load calibration`);
  }
  const path = resolve(context.baseDir, args.path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, serializeCalibration(calibration));
  context.emit({ type: 'output', output: markdownOutput(`Saved calibration **${args.name}** to \`${path}\`.`, [jsonItem({ calibration: args.name, path })]) });
}

/**
 * The first half of `calibrate`: the plan of a calibration from its statement (the network,
 * widths, seeds and training recipe, and how every dataset is prepared), and the calibration it
 * continues: the same plan's finished runs in this session, in an autosave of an earlier kernel,
 * or in a file given with `resume`, whichever keeps the most runs. calibrate.ts runs the rest.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { continuedCalibration, newCalibration, parseCalibration, reusableRuns, type Calibration, type CalibrationDataset, type CalibrationPlan } from '../../engine/ccnet/calibration-file';
import { checkInputSize, checkSegmentationNetwork, parseNetworkId } from '../../engine/models/registry';
import { datasetFingerprint } from '../../engine/data/fingerprint';
import { complexityForCalibration } from '../calibrations';
import { autosavePath, legacyAutosavePath } from '../calibration-autosave';
import type { ExecutionContext } from '../context';
import { TRAINING_RECIPE } from '../training';
import { UserInputError } from '../user-errors';
import type { CalibrateArgs } from './calibrate';

export const CALIBRATION_DEFAULT_EPOCHS = 20;

export interface PlannedCalibration {
  plan: CalibrationPlan;
  datasets: CalibrationDataset[];
}

/** The plan of a `calibrate` statement and its datasets' records (checked: same preparation, a network input that fits). */
export async function planCalibration(args: CalibrateArgs, context: ExecutionContext): Promise<PlannedCalibration> {
  const choice = parseNetworkId(args.network);
  checkSegmentationNetwork(choice.network, 'calibrate');
  if (!args.alphas.includes(1)) throw new UserInputError('alphas must include 1: relative accuracy is measured against the network at alpha 1');
  if (args.alphas.length < 2) throw new UserInputError('give at least two alphas (e.g. alphas 1, 1/2, 1/4, 1/8): a degradation line needs more than one width');
  if (new Set(args.datasets).size < 2) throw new UserInputError('calibrate on at least two different datasets (three or more give prediction intervals): the slope is fitted against complexity across datasets');

  const datasets: CalibrationDataset[] = [];
  let inputSizePx = 0;
  let channels = 0;
  const patchSizes = new Set<number | undefined>();
  const scaleRules = new Set<string>();
  for (const dataset of args.datasets) {
    const index = context.session.dataset(dataset);
    const samples = await context.session.samplesOf(dataset, context.signal);
    const first = samples[0]!;
    patchSizes.add(index.patchPx);
    scaleRules.add(index.autoScale ? 'scale auto' : index.scale ? `scale ${index.scale}` : 'the stored resolution');
    checkInputSize(choice.network, index.patchPx ?? first.heightPx, index.patchPx ?? first.widthPx);
    // #params do not depend on the input size, so datasets may differ (e.g. thin structures need more pixels);
    // the plan records the network input of the first dataset (its patch, or its image size), used for memory budgets.
    inputSizePx ||= index.patchPx ?? first.heightPx;
    channels = Math.max(channels, first.channels);
    const fingerprint = await context.session.fingerprintOf(dataset, () => datasetFingerprint(index, context.signal));
    datasets.push({ name: dataset, source: index.root, imageCount: samples.length, ...(index.scale ? { workingScale: index.scale } : {}), fingerprint, complexity: await complexityForCalibration(context, dataset) });
  }
  if (scaleRules.size > 1 || [...scaleRules].some((r) => /^scale \d/.test(r))) {
    const described = args.datasets.map((d) => `${d}: ${context.session.dataset(d).autoScale ? 'scale auto' : context.session.dataset(d).scale ? `scale ${context.session.dataset(d).scale}` : 'stored resolution'}`).join(', ');
    throw new UserInputError(`calibrate datasets prepared the same way: give all of them scale auto, or none (${described}); a new dataset is then prepared by the calibration's rule`);
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
    ...(args.patience ? { patience: args.patience } : {}),
    ...(scaleRules.has('scale auto') ? { datasetScale: 'auto' as const } : {}),
    recipe: TRAINING_RECIPE,
  };
  return { plan, datasets };
}

/**
 * The calibration to run: the candidate (this session's, `earlier`, the autosave, the `resume`
 * file) with the most runs this plan can reuse, continued under the plan with the datasets'
 * complexities as they are now (measures added since, a corrected definition); else a new one.
 * `command` (the command line that makes this calibration) replaces the one it continues.
 */
export async function resumedCalibration(args: CalibrateArgs, name: string, planned: PlannedCalibration, backend: string, context: ExecutionContext): Promise<Calibration> {
  const { plan, datasets } = planned;
  const candidates: Calibration[] = [];
  const inSession = context.session.calibrations.get(name);
  if (inSession) candidates.push(inSession);
  if (args.earlier) candidates.push(args.earlier);
  const autosave = autosavePath(context.cacheDir, name, plan);
  const legacy = legacyAutosavePath(context.cacheDir, name, plan.network);
  const resumePath = args.resume ? resolve(context.baseDir, args.resume) : undefined;
  for (const path of [autosave, legacy, ...(resumePath ? [resumePath] : [])]) {
    if (!existsSync(path)) continue;
    try {
      candidates.push(parseCalibration(await readFile(path, 'utf8'), path));
    } catch (error) {
      if (path === resumePath) throw new UserInputError(`cannot resume from ${path}: ${(error as Error).message}`);
    }
  }
  const reusable = candidates.map((c) => ({ from: c, runs: reusableRuns(c, plan, datasets) })).sort((a, b) => b.runs.length - a.runs.length)[0];
  if (resumePath && existsSync(resumePath) && !candidates.some((c) => c !== inSession && reusableRuns(c, plan, datasets).length > 0)) {
    context.emit({ type: 'log', stream: 'stderr', text: `calibrate: ${args.resume} has no run this calibration can keep (another network, base, input, epochs, learning rate, patience or recipe, or datasets prepared otherwise); starting without its runs\n` });
  }
  const calibration = reusable?.runs.length ? continuedCalibration(reusable.from, plan, datasets, reusable.runs) : newCalibration(plan, backend, datasets);
  return args.command ? { ...calibration, command: args.command } : calibration;
}

/**
 * The calibration file: CC-Net's one-time step, saved as versioned JSON so it can be reused
 * across notebooks, by the CLI, and shipped with the product. It holds the plan (network,
 * base width, input size, alphas, epochs, seeds), where it ran (backend), the datasets with
 * their complexities, every measured run, and the fits (recomputed from the runs on load, so a
 * hand-edited fit cannot disagree with its data). Runs are added one by one, so an interrupted
 * calibration keeps what finished and continues with `pendingRuns`.
 */
import { fitCalibration, type CalibrationFit, type CalibrationRun, type FitOptions } from './calibration-fit';

export const CALIBRATION_FORMAT = 'ccnet-calibration';
export const CALIBRATION_FORMAT_VERSION = 1;

export interface CalibrationPlan {
  network: string;
  /** Width multiplier of the calibration's alpha = 1, relative to the paper's network. */
  baseWidth: number;
  /** The network's input side (the patch size when the datasets trained on patches). */
  inputSizePx: number;
  /** Present when every dataset trained on random patches of this size (and was evaluated tile by tile). */
  patchPx?: number;
  channels: number;
  alphas: number[];
  epochs: number;
  seeds: number[];
  batch: number;
  learningRate: number;
  /**
   * The product's training recipe the runs used (loss, initialisation, restarts); a calibration
   * resumes only runs of the same recipe. Absent in files made before it was recorded.
   */
  recipe?: string;
  /** Epochs without a lower validation loss before a run stopped (epochs is then a cap); absent: every run trained all epochs. */
  patience?: number;
  /** `auto`: every dataset was downscaled to fit its structures to the patch (../data/working-scale.ts); absent: stored resolution. */
  datasetScale?: 'auto';
}

export interface CalibrationDataset {
  name: string;
  source: string;
  imageCount: number;
  /** The factor the dataset's images were resized by (plan.datasetScale); absent: 1. */
  workingScale?: number;
  /**
   * SHA-256 of the dataset's files and preparation (../data/fingerprint.ts). Runs are kept for a
   * dataset of the same fingerprint wherever its folder is (another machine); files without it
   * match by folder.
   */
  fingerprint?: string;
  /** Mean of each complexity measure (at least j and b). */
  complexity: Record<string, number>;
}

export interface StoredRun extends CalibrationRun {
  /** Effective width multiplier (baseWidth x alpha). */
  width: number;
  metrics: Record<string, number>;
  /** Training time of the run, every attempt included. */
  trainMs: number;
  epochsRun: number;
  /** Attempts that collapsed to a constant prediction and were trained again (absent in older files: 0). */
  restarts?: number;
  /** The backend of the run when it is not the calibration's (a worker elsewhere). */
  backend?: string;
  /** The host of the queue worker that trained the run. */
  host?: string;
}

export interface Calibration {
  format: typeof CALIBRATION_FORMAT;
  formatVersion: number;
  plan: CalibrationPlan;
  backend: string;
  createdAt: string;
  command?: string;
  datasets: CalibrationDataset[];
  runs: StoredRun[];
  /** Each execution of the calibration (a resumed one adds its own): worker processes, wall time, runs finished. */
  executions?: CalibrationExecution[];
  /**
   * The probe runs (probe.ts): every dataset's base and narrowest calibrated width, trained for
   * `epochs` (fewer than the plan's) with the same seeds and recipe, so that a new dataset's own
   * short training can refine its prediction (`select ... probe`).
   */
  probe?: CalibrationProbe;
  fit?: CalibrationFit;
}

export interface CalibrationProbe {
  epochs: number;
  /** The narrowest calibrated width (relative to the base). */
  alpha: number;
  runs: StoredRun[];
  executions?: CalibrationExecution[];
}

export interface CalibrationExecution {
  /** Local worker processes (0: the runs went to a job queue). */
  workers: number;
  wallMs: number;
  runs: number;
}

export class CalibrationFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalibrationFormatError';
  }
}

export function newCalibration(plan: CalibrationPlan, backend: string, datasets: CalibrationDataset[], command?: string): Calibration {
  return { format: CALIBRATION_FORMAT, formatVersion: CALIBRATION_FORMAT_VERSION, plan, backend, createdAt: new Date().toISOString(), ...(command ? { command } : {}), datasets, runs: [] };
}

/**
 * A calibration that continues `earlier` under `plan` with the runs it keeps. The command that
 * made `earlier` stays only when the plan is the same (the same command continues it); under a
 * grown plan (more seeds, widths or datasets) it would name a calibration this is not, so it is
 * left out until the caller records the command that made this one.
 */
export function continuedCalibration(earlier: Calibration, plan: CalibrationPlan, datasets: CalibrationDataset[], runs: StoredRun[]): Calibration {
  const { command, ...rest } = earlier;
  const samePlan = JSON.stringify(earlier.plan) === JSON.stringify(plan) && JSON.stringify(earlier.datasets.map((d) => d.name)) === JSON.stringify(datasets.map((d) => d.name));
  return { ...rest, ...(samePlan && command ? { command } : {}), plan, datasets, runs };
}

/**
 * What decides whether two plans' runs are the same runs: everything but the alphas, the seeds
 * and the scale rule (datasets are compared by their preparation, see reusableRuns), as text.
 * Plans of the same shape share runs; adding seeds, widths or datasets keeps the shape.
 */
export function planShape(plan: CalibrationPlan): string {
  const { alphas: _alphas, seeds: _seeds, datasetScale: _scale, ...rest } = plan;
  return JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k as keyof typeof rest]]));
}

/**
 * The runs of an earlier calibration that a calibration of `plan` on `datasets` can keep: the
 * plans agree in everything that shapes a run (network, base width, input, epochs, batch,
 * learning rate, patience, recipe), and each kept run is of a dataset of the same name, folder
 * and working scale, at an alpha and a seed of the new plan. So adding a seed, a width or a
 * dataset trains only the new runs, and changing how one dataset is prepared retrains that one.
 */
export function reusableRuns(earlier: Calibration, plan: CalibrationPlan, datasets: readonly CalibrationDataset[]): StoredRun[] {
  if (planShape(earlier.plan) !== planShape(plan)) return [];
  // the same files prepared the same way: by fingerprint where both have one, else by folder
  const preparation = (d: CalibrationDataset, other: CalibrationDataset) =>
    d.fingerprint && other.fingerprint ? `${d.name}|${d.fingerprint}|${d.workingScale ?? 1}` : `${d.name}|${d.source}|${d.workingScale ?? 1}`;
  const earlierDatasets = new Map(earlier.datasets.map((d) => [d.name, d]));
  const wanted = new Set(datasets.filter((d) => earlierDatasets.has(d.name) && preparation(earlierDatasets.get(d.name)!, d) === preparation(d, earlierDatasets.get(d.name)!)).map((d) => d.name));
  return earlier.runs.filter((r) => wanted.has(r.dataset) && plan.alphas.includes(r.alpha) && plan.seeds.includes(r.seed));
}

/** The (dataset, alpha, seed) runs of the plan not yet in the calibration. */
export function pendingRuns(calibration: Calibration): { dataset: string; alpha: number; seed: number }[] {
  const done = new Set(calibration.runs.map((r) => `${r.dataset}|${r.alpha}|${r.seed}`));
  const pending = [];
  for (const dataset of calibration.datasets) {
    for (const alpha of calibration.plan.alphas) {
      for (const seed of calibration.plan.seeds) {
        if (!done.has(`${dataset.name}|${alpha}|${seed}`)) pending.push({ dataset: dataset.name, alpha, seed });
      }
    }
  }
  return pending;
}

/** A copy with the run added (replacing an earlier run of the same dataset, alpha and seed). */
export function withRun(calibration: Calibration, run: StoredRun): Calibration {
  const runs = calibration.runs.filter((r) => !(r.dataset === run.dataset && r.alpha === run.alpha && r.seed === run.seed));
  return { ...calibration, runs: [...runs, run] };
}

/** Fits the calibration's runs (every dataset needs j and b). */
export function fitOf(calibration: Calibration, options: FitOptions = {}): CalibrationFit {
  const complexities = Object.fromEntries(calibration.datasets.map((d) => [d.name, d.complexity]));
  return fitCalibration(calibration.runs, complexities, options);
}

/** Pretty JSON with the fit recomputed; keys in a stable order. */
export function serializeCalibration(calibration: Calibration): string {
  const fit = safeFit(calibration); // undefined while there are not enough runs (an interrupted calibration)
  const ordered = {
    format: CALIBRATION_FORMAT,
    formatVersion: CALIBRATION_FORMAT_VERSION,
    plan: calibration.plan,
    backend: calibration.backend,
    createdAt: calibration.createdAt,
    ...(calibration.command ? { command: calibration.command } : {}),
    datasets: calibration.datasets,
    runs: [...calibration.runs].sort((a, b) => a.dataset.localeCompare(b.dataset) || b.alpha - a.alpha || a.seed - b.seed),
    ...(calibration.executions?.length ? { executions: calibration.executions } : {}),
    ...(calibration.probe ? { probe: { ...calibration.probe, runs: [...calibration.probe.runs].sort((a, b) => a.dataset.localeCompare(b.dataset) || b.alpha - a.alpha || a.seed - b.seed) } } : {}),
    ...(fit ? { fit } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function field(condition: boolean, where: string, message: string): void {
  if (!condition) throw new CalibrationFormatError(`${where} ${message}`);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Parses and checks a calibration file; errors name the file and the field. */
export function parseCalibration(text: string, sourceName: string): Calibration {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CalibrationFormatError(`${sourceName} is not valid JSON (${(error as Error).message})`);
  }
  field(typeof raw === 'object' && raw !== null && !Array.isArray(raw), sourceName, 'must hold a JSON object');
  field(raw.format === CALIBRATION_FORMAT, `${sourceName}: format`, `must be "${CALIBRATION_FORMAT}" (this is not a CC-Net calibration file)`);
  field(isNumber(raw.formatVersion) && raw.formatVersion <= CALIBRATION_FORMAT_VERSION, `${sourceName}: formatVersion`, `must be at most ${CALIBRATION_FORMAT_VERSION}; update CC-Net Studio to read newer files`);
  const plan = raw.plan as Record<string, unknown>;
  field(typeof plan === 'object' && plan !== null, `${sourceName}: plan`, 'must be an object');
  field(typeof plan.network === 'string', `${sourceName}: plan.network`, 'must be a string');
  for (const key of ['baseWidth', 'inputSizePx', 'channels', 'epochs', 'batch', 'learningRate']) field(isNumber(plan[key]), `${sourceName}: plan.${key}`, 'must be a number');
  field(plan.patchPx === undefined || (isNumber(plan.patchPx) && plan.patchPx === plan.inputSizePx), `${sourceName}: plan.patchPx`, 'must be a number equal to plan.inputSizePx when present');
  field(Array.isArray(plan.alphas) && (plan.alphas as unknown[]).every(isNumber), `${sourceName}: plan.alphas`, 'must be a list of numbers');
  field(Array.isArray(plan.seeds) && (plan.seeds as unknown[]).every(isNumber), `${sourceName}: plan.seeds`, 'must be a list of numbers');
  field(Array.isArray(raw.datasets), `${sourceName}: datasets`, 'must be a list');
  (raw.datasets as Record<string, unknown>[]).forEach((d, i) => {
    field(typeof d.name === 'string', `${sourceName}: datasets[${i}].name`, 'must be a string');
    const complexity = d.complexity as Record<string, unknown>;
    field(typeof complexity === 'object' && complexity !== null, `${sourceName}: datasets[${i}].complexity`, 'must be an object');
    for (const key of ['j', 'b']) field(isNumber(complexity[key]), `${sourceName}: datasets[${i}].complexity.${key}`, 'must be a number');
  });
  checkRuns(raw.runs, `${sourceName}: runs`);
  if (raw.probe !== undefined) checkProbe(raw.probe as Record<string, unknown>, plan, sourceName);
  const calibration = raw as unknown as Calibration;
  return { ...calibration, fit: calibration.runs.length ? safeFit(calibration) : undefined };
}

function checkRuns(runs: unknown, where: string): void {
  field(Array.isArray(runs), where, 'must be a list');
  (runs as Record<string, unknown>[]).forEach((r, i) => {
    field(typeof r.dataset === 'string', `${where}[${i}].dataset`, 'must be a string');
    for (const key of ['alpha', 'seed', 'params', 'f1', 'iou']) field(isNumber(r[key]), `${where}[${i}].${key}`, 'must be a number');
  });
}

function checkProbe(probe: Record<string, unknown>, plan: Record<string, unknown>, sourceName: string): void {
  field(typeof probe === 'object' && probe !== null, `${sourceName}: probe`, 'must be an object');
  field(isNumber(probe.epochs) && probe.epochs >= 1 && probe.epochs < (plan.epochs as number), `${sourceName}: probe.epochs`, `must be a whole number of epochs below the plan's ${String(plan.epochs)}`);
  field(isNumber(probe.alpha) && probe.alpha < 1 && (plan.alphas as number[]).includes(probe.alpha), `${sourceName}: probe.alpha`, 'must be one of the plan\'s alphas below 1');
  checkRuns(probe.runs, `${sourceName}: probe.runs`);
  (probe.runs as { alpha: number }[]).forEach((r, i) => field(r.alpha === 1 || r.alpha === probe.alpha, `${sourceName}: probe.runs[${i}].alpha`, `must be 1 or the probe's alpha ${String(probe.alpha)}`));
}

/** Why the calibration has no fit (undefined when it has one). */
export function fitProblem(calibration: Calibration): string | undefined {
  if (calibration.runs.length === 0) return 'no runs yet';
  try {
    fitOf(calibration);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function safeFit(calibration: Calibration): CalibrationFit | undefined {
  try {
    return fitOf(calibration);
  } catch {
    return undefined;
  }
}

/**
 * The dashboard's constraint form as a `compress` statement: checks each field with the cell
 * language's own checks and names the field that is wrong, so the panel can show the problem
 * next to it. Plain TypeScript (no `vscode`).
 */
import { NETWORK_TITLES } from '../engine/models/titles';
import { accuracyCheck, bitsCheck, positiveInteger } from '../language/checks';
import { numberLiteral, quote, type DatasetPreparation } from '../language/literal';
import { parseCell } from '../language/parser';
import type { CompressForm } from './dashboard-protocol';

export type FormProblems = Partial<Record<keyof CompressForm, string>>;

/** undefined for an empty field, NaN for text that is not a number. */
function numberOf(text: string): number | undefined {
  return text.trim() === '' ? undefined : (numberLiteral(text) ?? Number.NaN);
}

/** A model name from the network and dataset that no existing model has. */
export function freshModelName(network: string, dataset: string, taken: readonly string[]): string {
  const base = `${network.replace(/-/g, '_')}_${dataset}_compressed`;
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}_${i}`;
  return name;
}

export function compressStatement(form: CompressForm, known: { datasets: readonly string[]; calibrations: readonly string[]; models: readonly string[] }): { text: string; name: string } | { problems: FormProblems } {
  const problems: FormProblems = {};
  if (!form.dataset) problems.dataset = 'choose a dataset (run a dataset or synthetic cell to add one)';
  else if (!known.datasets.includes(form.dataset)) problems.dataset = `dataset '${form.dataset}' is not in the kernel; run its cell again`;
  if (!Object.hasOwn(NETWORK_TITLES, form.network)) problems.network = 'choose unet, fcn or cumedvision';
  const value = numberOf(form.value);
  let constraint = '';
  if (value === undefined || Number.isNaN(value)) problems.value = 'enter a number';
  else if (form.constraint === 'accuracy') {
    const problem = accuracyCheck(value);
    if (problem) problems.value = problem;
    constraint = `accuracy >= ${form.value.trim()}`;
  } else if (value <= 0) problems.value = `the ${form.constraint} budget must be above 0 MB`;
  else if (form.constraint === 'disk') {
    constraint = `disk <= ${form.value.trim()} MB`;
    const bits = numberOf(form.bits);
    if (bits !== undefined) {
      const problem = Number.isNaN(bits) ? 'enter a whole number of bits' : bitsCheck(bits);
      if (problem) problems.bits = problem;
      constraint += ` bits ${form.bits.trim()}`;
    }
  } else {
    constraint = `memory <= ${form.value.trim()} MB`;
    const batch = numberOf(form.batch);
    if (batch !== undefined) {
      const problem = Number.isNaN(batch) ? 'enter a whole number' : positiveInteger('batch')(batch);
      if (problem) problems.batch = problem;
      constraint += ` batch ${form.batch.trim()}`;
    }
  }
  const epochs = numberOf(form.epochs);
  if (epochs !== undefined) {
    const problem = Number.isNaN(epochs) ? 'enter a whole number of epochs' : positiveInteger('epochs')(epochs);
    if (problem) problems.epochs = problem;
  }
  if (form.calibration && !known.calibrations.includes(form.calibration)) problems.calibration = `calibration '${form.calibration}' is not in the kernel`;
  if (Object.keys(problems).length > 0) return { problems };
  const name = freshModelName(form.network, form.dataset, known.models);
  const text = `compress ${form.network} for ${form.dataset} ${constraint}${epochs !== undefined ? ` epochs ${form.epochs.trim()}` : ''}${form.calibration ? ` using ${form.calibration}` : ''} as ${name}`;
  // the statement must be one the kernel accepts; a difference here is a bug in this module
  const parsed = parseCell(text);
  if (parsed.diagnostics.length > 0) return { problems: { value: parsed.diagnostics[0]!.message } };
  return { text, name };
}

/**
 * The cell that "CC-Net: Compress Network for Dataset..." runs: the chosen folder as dataset
 * `data`, prepared by `datasetClauses` (see datasetClausesOf), and the compress statement.
 * Throws when the kernel would not accept the text: a bug in the caller, not the user's input.
 */
export function compressCommandCell(folderPath: string, network: string, constraint: string, datasetClauses: string): string {
  const text = [`dataset data from ${quote(folderPath)}${datasetClauses}`, `compress ${network} for data ${constraint} as compressed`].join('\n');
  const parsed = parseCell(text);
  if (parsed.diagnostics.length > 0) throw new Error(`the compress command wrote a cell the kernel rejects (${parsed.diagnostics[0]!.message}): ${text}`);
  return text;
}

/**
 * The dataset preparation of a calibration file's JSON (its plan's inputSizePx, patchPx and
 * datasetScale), read without the engine's parser so that the extension host does not bundle the
 * fitting code; undefined when the JSON is not a calibration with such a plan.
 */
export function preparationOfCalibrationJson(json: unknown): DatasetPreparation | undefined {
  const file = json as { format?: unknown; plan?: { inputSizePx?: unknown; patchPx?: unknown; datasetScale?: unknown } } | null;
  const plan = file?.format === 'ccnet-calibration' ? file.plan : undefined;
  if (!plan || typeof plan.inputSizePx !== 'number' || !(plan.inputSizePx > 0)) return undefined;
  if (plan.patchPx !== undefined && typeof plan.patchPx !== 'number') return undefined;
  if (plan.datasetScale !== undefined && plan.datasetScale !== 'auto') return undefined;
  return { inputSizePx: plan.inputSizePx, ...(plan.patchPx !== undefined ? { patchPx: plan.patchPx as number } : {}), ...(plan.datasetScale === 'auto' ? { datasetScale: 'auto' as const } : {}) };
}

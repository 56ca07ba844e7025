/** `ccnet lodo`: the leave-one-dataset-out tables of a calibration file. */
import { fitOf, type Calibration } from '../engine/ccnet/calibration-file';
import { readCalibrationFile } from '../kernel/calibrations';
import type { CalibrationRun } from '../engine/ccnet/calibration-fit';
import { leaveOneDatasetOut, type LeaveOneOutReport } from '../engine/ccnet/leave-one-out';
import { formatAlpha } from '../engine/ccnet/select';
import { formatNumber, markdownTable } from '../protocol/outputs';

export interface LeaveOneOutOptions {
  measure?: string;
  /** The calibration's probe section, or a probe calibration file: the same datasets and plan at alpha 1 and the narrowest width, fewer epochs. */
  probe?: 'embedded' | { file: string };
  allMeasures: boolean;
  json: boolean;
  /** Only the runs (and probe runs) of these seeds: e.g. two disjoint halves, to see how much the figures move with the seeds. */
  seeds?: number[];
}

/** `1,2,5-8` -> [1, 2, 5, 6, 7, 8]: whole numbers and inclusive ranges. */
export function parseSeedList(text: string): number[] {
  const seeds = text.split(',').flatMap((part) => {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!range) throw new Error(`--seeds ${text}: "${part.trim()}" is not a seed or a range (give e.g. 1,2,3 or 1-5)`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) throw new Error(`--seeds ${text}: the range ${part.trim()} runs backwards (give e.g. ${to}-${from})`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
  return [...new Set(seeds)];
}

/** The calibration with only the runs of `seeds`, refusing seeds it has no run of. */
function withSeeds(calibration: Calibration, seeds: readonly number[], path: string): Calibration {
  const present = new Set(calibration.runs.map((r) => r.seed));
  const absent = seeds.filter((seed) => !present.has(seed));
  if (absent.length) throw new Error(`${path} has no runs of seed${absent.length === 1 ? '' : 's'} ${absent.join(', ')} (its seeds: ${[...present].sort((a, b) => a - b).join(', ')})`);
  const keep = (r: CalibrationRun) => seeds.includes(r.seed);
  return { ...calibration, runs: calibration.runs.filter(keep), ...(calibration.probe ? { probe: { ...calibration.probe, runs: calibration.probe.runs.filter(keep) } } : {}) };
}

const interval = (i: { value: number; low: number; high: number }) => `${formatNumber(i.value, 3)} [${formatNumber(i.low, 3)}, ${formatNumber(i.high, 3)}]`;

function summaryLine(r: LeaveOneOutReport): string {
  return (
    `Target ${r.target}: oracle width selected in **${r.oracleHits} of ${r.datasets}**, narrower than the oracle (target missed) in **${r.misses}**; ` +
    `mean |predicted - measured| relative F1 at the selected width **${formatNumber(r.meanAbsoluteGap, 3)}**; ` +
    `90% interval covers **${formatNumber(100 * r.coverage, 3)}%** of ${r.pairs} (dataset, width) pairs, mean width ${formatNumber(r.meanIntervalWidth, 3)}; ` +
    `mean parameter reduction ${formatNumber(r.meanParameterReduction, 3)}x. Always the base: ${r.alwaysBase.oracleHits} of ${r.datasets} oracle hits, 1x. ` +
    (Number.isFinite(r.meanOracleAgreement)
      ? `The oracle itself: two disjoint halves of a dataset's seeds name the same oracle width in ${formatNumber(100 * r.meanOracleAgreement, 3)}% of splits (mean over datasets, as if ${formatNumber(r.meanOracleAgreement * r.datasets, 2)} of ${r.datasets} datasets: a rough ceiling on the oracle hits).`
      : 'With one seed per dataset the oracle\'s reproducibility cannot be measured (calibrate with two or more seeds).') +
    r.rows.filter((row) => row.measurementCaveat).map((row) => ` Scored all the same, though its ratios say little about width: ${row.dataset}, ${row.measurementCaveat}.`).join('') +
    (r.rows[0]?.probe ? ` With the probe: ${formatNumber(r.rows.reduce((s, row) => s + row.probe!.trainS, 0) / r.rows.length, 3)} s of training per dataset.` : '')
  );
}

function reportTable(r: LeaveOneOutReport): string {
  const probed = r.rows[0]?.probe !== undefined;
  return markdownTable(
    ['held-out dataset', ...(probed ? ['probe relative F1 (slope: complexity -> probed)'] : []), 'measure (value)', 'base F1', 'selected alpha', 'oracle alpha (split-half agreement)', 'predicted relative F1 [90%]', 'measured relative F1', 'per seed', `meets ${r.target}`, '|gap|', '#params reduction', 'every width: predicted / measured'],
    r.rows.map((row) => [
      row.measurementCaveat ? `${row.dataset} (see below)` : row.dataset,
      ...(row.probe ? [`${formatNumber(row.probe.relativeF1, 3)} (${formatNumber(row.probe.priorSlope, 3)} -> ${formatNumber(row.probe.slope, 3)})`] : []),
      `${row.measure} (${formatNumber(row.measureValue, 4)})`,
      formatNumber(row.baseF1, 3),
      formatAlpha(row.selectedAlpha),
      `${formatAlpha(row.oracleAlpha)} (${Number.isFinite(row.oracleAgreement) ? `${formatNumber(100 * row.oracleAgreement, 3)}%` : 'one seed'})`,
      interval(row.predictedRelativeF1),
      formatNumber(row.measuredRelativeF1, 3),
      row.measuredBySeed.map((m) => formatNumber(m.relativeF1, 3)).join(', '),
      row.targetMet ? 'yes' : 'no',
      formatNumber(row.absoluteGap, 3),
      `${formatNumber(row.parameterReduction, 3)}x`,
      row.widths.map((w) => `${formatAlpha(w.alpha)}: ${interval(w.predicted)} / ${formatNumber(w.measured, 3)}${w.inside ? '' : ' (outside)'}`).join('; '),
    ]),
  );
}

/** The probe file's runs, once its plan is checked against the calibration's (same network, base, input, datasets; alpha 1 and one calibrated width). */
function probeRunsOf(calibration: Calibration, probe: Calibration, path: string): CalibrationRun[] {
  const a = calibration.plan;
  const b = probe.plan;
  const differs = (['network', 'baseWidth', 'inputSizePx', 'patchPx', 'batch', 'learningRate', 'datasetScale'] as const).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  if (differs.length) throw new Error(`${path} is not a probe of this calibration: its ${differs.join(', ')} differ`);
  const narrow = b.alphas.filter((x) => x !== 1);
  if (narrow.length !== 1 || !a.alphas.includes(narrow[0]!)) throw new Error(`${path}: a probe trains alpha 1 and one calibrated width (this calibration's: ${a.alphas.join(', ')}); it has alphas ${b.alphas.join(', ')}`);
  if (!(b.epochs < a.epochs)) throw new Error(`${path}: a probe trains fewer epochs than the calibration (${a.epochs}); it has ${b.epochs}`);
  const missing = calibration.datasets.map((d) => d.name).filter((name) => !probe.runs.some((r) => r.dataset === name));
  if (missing.length) throw new Error(`${path} has no probe runs of ${missing.join(', ')}`);
  return probe.runs;
}

async function probeRunsFor(calibration: Calibration, path: string, probe: LeaveOneOutOptions['probe']): Promise<CalibrationRun[] | undefined> {
  if (probe === undefined) return undefined;
  if (probe === 'embedded') {
    if (!calibration.probe) throw new Error(`${path} has no probe runs: calibrate with --probe E, or give a probe calibration with --probe-runs FILE`);
    return calibration.probe.runs;
  }
  return probeRunsOf(calibration, await readCalibrationFile(probe.file), probe.file);
}

export async function leaveOneOutCommand(path: string, targets: number[], options: LeaveOneOutOptions): Promise<number> {
  for (const target of targets) if (!(target > 0 && target <= 1)) throw new Error(`--target ${target} must be above 0 and at most 1`);
  const parsed = await readCalibrationFile(path);
  const calibration = options.seeds ? withSeeds(parsed, options.seeds, path) : parsed;
  const probeRuns = await probeRunsFor(calibration, path, options.probe);
  if (options.allMeasures) {
    const measures = fitOf(calibration).f1.complexity.candidates.map((c) => c.measure);
    const reports = measures.flatMap((measure) => {
      try {
        return [{ measure, reports: targets.map((t) => leaveOneDatasetOut(calibration, t, { measure })) }];
      } catch (error) {
        return [{ measure, error: (error as Error).message, reports: [] as LeaveOneOutReport[] }];
      }
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(reports.map((r) => ({ measure: r.measure, ...('error' in r ? { error: r.error } : {}), reports: r.reports.map(({ rows: _rows, ...summary }) => summary) })))}\n`);
      return 0;
    }
    const header = ['measure', 'mean |error| over every (dataset, width)', ...targets.flatMap((t) => [`hits / misses at ${t}`, `gap at ${t}`]), 'coverage', 'mean interval width'];
    const rows = reports.map((r) => {
      if (r.reports.length === 0) return [r.measure, `cannot be used in every fold: ${'error' in r ? r.error : ''}`, ...targets.flatMap(() => ['', '']), '', ''];
      const first = r.reports[0]!;
      return [r.measure, formatNumber(first.meanWidthError, 3), ...r.reports.flatMap((rep) => [`${rep.oracleHits} / ${rep.misses}`, formatNumber(rep.meanAbsoluteGap, 3)]), `${formatNumber(100 * first.coverage, 3)}%`, formatNumber(first.meanIntervalWidth, 3)];
    });
    process.stdout.write(`${markdownTable(header, rows)}\n`);
    return 0;
  }
  const reports = targets.map((t) => leaveOneDatasetOut(calibration, t, { ...(options.measure ? { measure: options.measure } : {}), ...(probeRuns ? { probeRuns } : {}) }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports)}\n`);
    return 0;
  }
  process.stdout.write(`${reports.map((r) => `${reportTable(r)}\n\n${summaryLine(r)}\n`).join('\n')}`);
  return 0;
}

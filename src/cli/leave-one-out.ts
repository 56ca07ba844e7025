/** `ccnet lodo`: the leave-one-dataset-out tables of a calibration file. */
import { readFile } from 'node:fs/promises';
import { fitOf, parseCalibration } from '../engine/ccnet/calibration-file';
import { leaveOneDatasetOut, type LeaveOneOutReport } from '../engine/ccnet/leave-one-out';
import { formatAlpha } from '../engine/ccnet/select';
import { formatNumber, markdownTable } from '../protocol/outputs';

export interface LeaveOneOutOptions {
  measure?: string;
  allMeasures: boolean;
  json: boolean;
}

const interval = (i: { value: number; low: number; high: number }) => `${formatNumber(i.value, 3)} [${formatNumber(i.low, 3)}, ${formatNumber(i.high, 3)}]`;

function summaryLine(r: LeaveOneOutReport): string {
  return (
    `Target ${r.target}: oracle width selected in **${r.oracleHits} of ${r.datasets}**, narrower than the oracle (target missed) in **${r.misses}**; ` +
    `mean |predicted - measured| relative F1 at the selected width **${formatNumber(r.meanAbsoluteGap, 3)}**; ` +
    `90% interval covers **${formatNumber(100 * r.coverage, 3)}%** of ${r.pairs} (dataset, width) pairs, mean width ${formatNumber(r.meanIntervalWidth, 3)}; ` +
    `mean parameter reduction ${formatNumber(r.meanParameterReduction, 3)}x. Always the base: ${r.alwaysBase.oracleHits} of ${r.datasets} oracle hits, 1x.`
  );
}

function reportTable(r: LeaveOneOutReport): string {
  return markdownTable(
    ['held-out dataset', 'measure (value)', 'base F1', 'selected alpha', 'oracle alpha', 'predicted relative F1 [90%]', 'measured relative F1', 'per seed', `meets ${r.target}`, '|gap|', '#params reduction', 'every width: predicted / measured'],
    r.rows.map((row) => [
      row.dataset,
      `${row.measure} (${formatNumber(row.measureValue, 4)})`,
      formatNumber(row.baseF1, 3),
      formatAlpha(row.selectedAlpha),
      formatAlpha(row.oracleAlpha),
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

export async function leaveOneOutCommand(path: string, targets: number[], options: LeaveOneOutOptions): Promise<number> {
  for (const target of targets) if (!(target > 0 && target <= 1)) throw new Error(`--target ${target} must be above 0 and at most 1`);
  const calibration = parseCalibration(await readFile(path, 'utf8'), path);
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
  const reports = targets.map((t) => leaveOneDatasetOut(calibration, t, options.measure ? { measure: options.measure } : {}));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports)}\n`);
    return 0;
  }
  process.stdout.write(`${reports.map((r) => `${reportTable(r)}\n\n${summaryLine(r)}\n`).join('\n')}`);
  return 0;
}

/** `ccnet lodo`: the leave-one-dataset-out table of a calibration file. */
import { readFile } from 'node:fs/promises';
import { parseCalibration } from '../engine/ccnet/calibration-file';
import { leaveOneDatasetOut } from '../engine/ccnet/leave-one-out';
import { formatAlpha } from '../engine/ccnet/select';
import { formatNumber, markdownTable } from '../kernel/outputs';

export async function leaveOneOutCommand(path: string, target: number, json: boolean): Promise<number> {
  if (!(target > 0 && target <= 1)) throw new Error(`--target ${target} must be above 0 and at most 1`);
  const calibration = parseCalibration(await readFile(path, 'utf8'), path);
  const report = leaveOneDatasetOut(calibration, target);
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const table = markdownTable(
    ['held-out dataset', 'J', 'B', 'base F1', 'selected alpha', 'predicted relative F1 [90%]', 'measured relative F1', 'per seed', `meets ${target}`, '|gap|'],
    report.rows.map((r) => [
      r.dataset,
      formatNumber(r.j, 4),
      formatNumber(r.b, 4),
      formatNumber(r.baseF1, 3),
      formatAlpha(r.selectedAlpha),
      `${formatNumber(r.predictedRelativeF1.value, 3)} [${formatNumber(r.predictedRelativeF1.low, 3)}, ${formatNumber(r.predictedRelativeF1.high, 3)}]`,
      formatNumber(r.measuredRelativeF1, 3),
      r.measuredBySeed.map((m) => formatNumber(m.relativeF1, 3)).join(', '),
      r.targetMet ? 'yes' : 'no',
      formatNumber(r.absoluteGap, 3),
    ]),
  );
  process.stdout.write(`${table}\n\nTarget met in ${report.targetMetCount} of ${report.rows.length} held-out datasets; mean |predicted - measured| relative F1 = ${formatNumber(report.meanAbsoluteGap, 3)}; measured inside the predicted 90% interval in ${report.insideIntervalCount} of ${report.rows.length}.\n`);
  return 0;
}

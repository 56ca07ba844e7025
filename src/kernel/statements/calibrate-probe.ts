/**
 * `calibrate ... probe E`: the probe runs of a calibration (../../engine/ccnet/probe.ts). After
 * the calibration's own runs, every dataset's base (alpha 1) and narrowest calibrated width are
 * trained for E epochs with the same seeds, recipe and workers, as a calibration of their own
 * (named NAME_probe, so it shows its run table, autosaves and resumes like any), and kept in the
 * calibration's `probe` section.
 */
import { newCalibration, type Calibration, type CalibrationProbe } from '../../engine/ccnet/calibration-file';
import type { ExecutionContext } from '../context';
import { UserInputError } from '../user-errors';
import type { CalibrateArgs } from './calibrate';

export async function calibrateProbe(
  args: CalibrateArgs & { probe: number },
  name: string,
  calibration: Calibration,
  context: ExecutionContext,
  calibrate: (args: CalibrateArgs, context: ExecutionContext) => Promise<Calibration>,
): Promise<CalibrationProbe> {
  const epochs = args.probe;
  if (!(epochs < calibration.plan.epochs)) {
    throw new UserInputError(`probe ${epochs}: a probe trains fewer epochs than the calibration's ${calibration.plan.epochs} (e.g. probe ${Math.max(1, Math.round(calibration.plan.epochs / 6))})`);
  }
  const alpha = Math.min(...calibration.plan.alphas);
  // the probe runs this calibration already holds (resumed from its file) are kept, with the record of their executions
  const earlier = calibration.probe?.epochs === epochs && calibration.probe.alpha === alpha
    ? { ...newCalibration({ ...calibration.plan, alphas: [1, alpha], epochs }, calibration.backend, calibration.datasets), runs: calibration.probe.runs, ...(calibration.probe.executions ? { executions: calibration.probe.executions } : {}) }
    : undefined;
  const probe = await calibrate(
    { ...args, alphas: [1, alpha], epochs, probe: undefined, resume: undefined, progress: undefined, command: undefined, name: `${name}_probe`, quiet: true, ...(earlier ? { earlier } : {}) },
    context,
  );
  return { epochs, alpha, runs: probe.runs, ...(probe.executions?.length ? { executions: probe.executions } : {}) };
}

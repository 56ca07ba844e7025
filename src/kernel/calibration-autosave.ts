/** Where a running calibration saves its finished runs, so that a later kernel resumes them. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { planShape, type CalibrationPlan } from '../engine/ccnet/calibration-file';

/**
 * Where finished runs are saved as they finish, for resuming: per calibration name, network and
 * plan shape (planShape: epochs, base, input, learning rate, patience, recipe...), so that two
 * calibrations under the same name (two CLI runs side by side, or a plan changed midway) never
 * overwrite each other's runs, while a plan with added seeds, widths or datasets finds the runs
 * of the plan it extends.
 */
export function autosavePath(cacheDir: string, name: string, plan: CalibrationPlan): string {
  const shape = createHash('sha256').update(planShape(plan)).digest('hex').slice(0, 12);
  return join(cacheDir, 'calibrations', `${name}.${plan.network}.${shape}.json`);
}

/** The autosave of versions that keyed it by name and network only (still read when resuming). */
export function legacyAutosavePath(cacheDir: string, name: string, network: string): string {
  return join(cacheDir, 'calibrations', `${name}.${network}.json`);
}

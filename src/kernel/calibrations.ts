/** Where calibrations come from: the session, files, and the ones the product ships. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCalibration, type Calibration } from '../engine/ccnet/calibration-file';
import { measureDataset } from '../engine/complexity/dataset-complexity';
import { MEASURES, resolveMeasures } from '../engine/complexity/registry';
import { datasetMaskMeasures } from '../engine/complexity/mask-measures';
import { throttledProgress, type ExecutionContext } from './context';
import { SessionNameError } from './session';
import { UserInputError } from './user-errors';

/** The folder of the calibrations shipped with the product (media/calibrations). */
export function shippedCalibrationFolder(): string {
  const candidates = [join(__dirname, '..', 'media', 'calibrations'), join(__dirname, '..', '..', 'media', 'calibrations')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

export async function readCalibrationFile(path: string): Promise<Calibration> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(code === 'ENOENT' ? `calibration file ${path} does not exist` : `cannot read calibration file ${path}: ${(error as Error).message}`);
  }
  return parseCalibration(text, path);
}

/**
 * The calibration a statement uses: `using NAME`, else the last one defined in the session for
 * the network, else the product's shipped calibration for it.
 */
export async function resolveCalibration(context: ExecutionContext, network: string, using?: string): Promise<{ name: string; calibration: Calibration }> {
  if (using) {
    const found = context.session.calibrations.get(using);
    if (!found) {
      const known = [...context.session.calibrations.keys()];
      throw new SessionNameError(`calibration '${using}' is not defined in this session; ${known.length ? `defined: ${known.join(', ')}` : 'make one with calibrate or load calibration "FILE" as ' + using}`);
    }
    if (found.plan.network !== network) throw new UserInputError(`calibration '${using}' is for ${found.plan.network}, not ${network}; calibrate ${network} or use a ${network} calibration`);
    return { name: using, calibration: found };
  }
  const own = [...context.session.calibrations].filter(([, c]) => c.plan.network === network).pop();
  if (own) return { name: own[0], calibration: own[1] };
  const shipped = join(shippedCalibrationFolder(), `${network}.json`);
  if (!existsSync(shipped)) {
    throw new UserInputError(`there is no calibration for ${network}: run calibrate ${network} on DATASETS alphas 1, 1/2, 1/4, 1/8, or load one with load calibration "FILE" as NAME`);
  }
  return { name: `shipped ${network}`, calibration: await readCalibrationFile(shipped) };
}

/**
 * Every complexity measure of a dataset (the image measures' means and the mask measures), the
 * candidates a calibration relates degradation to; image measures are measured now (from the
 * file cache when known) unless the session already has them all.
 */
export async function complexityForCalibration(context: ExecutionContext, dataset: string): Promise<Record<string, number>> {
  const known = context.session.complexities.get(dataset);
  const complete = known && MEASURES.every((m) => known.measures[m.id]);
  const result = complete
    ? known
    : await measureDataset(context.session.dataset(dataset), resolveMeasures('all'), {
        signal: context.signal,
        pool: context.session.complexityPool(),
        cacheDir: join(context.cacheDir, 'complexity'),
        onProgress: throttledProgress(context, `complexity of ${dataset}`),
      });
  if (!complete) context.session.complexities.set(dataset, result);
  const samples = await context.session.samplesOf(dataset, context.signal);
  return { ...Object.fromEntries(Object.entries(result.measures).map(([id, s]) => [id, s.mean])), ...datasetMaskMeasures(samples) };
}

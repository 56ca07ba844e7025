/** Where calibrations come from: the session, files, and the ones the product ships. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCalibration, type Calibration } from '../engine/ccnet/calibration-file';
import { measureDataset } from '../engine/complexity/dataset-complexity';
import { resolveMeasures } from '../engine/complexity/registry';
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

/** Mean J and B of a dataset, measured now if the session has not measured them yet. */
export async function complexityForCalibration(context: ExecutionContext, dataset: string): Promise<Record<string, number>> {
  const known = context.session.complexities.get(dataset);
  if (known?.measures.j && known.measures.b) return Object.fromEntries(Object.entries(known.measures).map(([id, s]) => [id, s.mean]));
  const result = await measureDataset(context.session.dataset(dataset), resolveMeasures(['j', 'b']), {
    signal: context.signal,
    pool: context.session.complexityPool(),
    cacheDir: join(context.cacheDir, 'complexity'),
    onProgress: throttledProgress(context, `complexity of ${dataset}`),
  });
  context.session.complexities.set(dataset, result);
  return Object.fromEntries(Object.entries(result.measures).map(([id, s]) => [id, s.mean]));
}

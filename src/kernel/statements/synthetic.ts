/** `synthetic NAME [complexity X] [count N] [size N] [seed S] [patch N]`: the product's own dataset. */
import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SYNTHETIC, type SyntheticOptions, writeSyntheticDataset } from '../../engine/data/synthetic';
import { throttledProgress, type ExecutionContext } from '../context';
import { runDataset } from './dataset';

export interface SyntheticArgs {
  name: string;
  complexity?: number;
  count?: number;
  sizePx?: number;
  seed?: number;
  patchPx?: number;
}

/** The folder a synthetic dataset with these options is generated into (reused when complete). */
export function syntheticFolder(cacheDir: string, options: SyntheticOptions): string {
  return join(cacheDir, 'synthetic', `c${options.complexity}-n${options.count}-s${options.sizePx}-seed${options.seed}`);
}

export async function runSynthetic(args: SyntheticArgs, context: ExecutionContext): Promise<void> {
  const options: SyntheticOptions = {
    complexity: args.complexity ?? DEFAULT_SYNTHETIC.complexity,
    count: args.count ?? DEFAULT_SYNTHETIC.count,
    sizePx: args.sizePx ?? DEFAULT_SYNTHETIC.sizePx,
    seed: args.seed ?? DEFAULT_SYNTHETIC.seed,
  };
  const folder = syntheticFolder(context.cacheDir, options);
  const completeMarker = join(folder, 'complete.json');
  const exists = await access(completeMarker).then(() => true, () => false);
  if (!exists) {
    await rm(folder, { recursive: true, force: true });
    await writeSyntheticDataset(folder, options, throttledProgress(context, `generating ${args.name}`), context.signal);
    await writeFile(completeMarker, JSON.stringify({ generator: 'ccnet-synthetic', ...options }, null, 2));
  }
  await runDataset({ name: args.name, path: folder, ...(args.patchPx ? { patchPx: args.patchPx } : {}) }, context);
}

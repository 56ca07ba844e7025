import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const kernelPath = join(repoRoot, 'dist', 'kernel.js');
export const cliPath = join(repoRoot, 'bin', 'ccnet.js');
export const sharedDatasets = join(repoRoot, '..', 'shared', 'datasets');

/** Tests of the kernel process and CLI run the bundles; `npm test` builds them first. */
export function requireBuilt(): void {
  if (!existsSync(kernelPath) || !existsSync(join(repoRoot, 'dist', 'cli.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before these tests');
  }
}

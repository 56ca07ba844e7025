/** Where the training cache and the training checkpoints live under a cache folder (shared by the kernel, the CLI and the extension's clear command). */
import { join } from 'node:path';

export function trainingCacheFolder(cacheDir: string): string {
  return join(cacheDir, 'trainings');
}

export function checkpointFolder(cacheDir: string): string {
  return join(cacheDir, 'checkpoints');
}

/**
 * A dataset's fingerprint: SHA-256 over how it is prepared (working size, patch, scale) and, per
 * image/mask pair in order, its id and the SHA-256 of both files' bytes. Two definitions of the
 * same files prepared the same way have the same fingerprint, wherever the folder is; changing
 * one pixel of one mask changes it. The training cache keys trainings by it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DatasetIndex } from './dataset';

export async function datasetFingerprint(index: DatasetIndex, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ sizePx: index.sizePx ?? null, patchPx: index.patchPx ?? null, scale: index.scale ?? 1 }));
  for (const pair of index.pairs) {
    signal?.throwIfAborted();
    const [image, mask] = await Promise.all([readFile(pair.imagePath), readFile(pair.maskPath)]);
    hash.update(`\n${pair.id} ${createHash('sha256').update(image).digest('hex')} ${createHash('sha256').update(mask).digest('hex')}`);
  }
  return hash.digest('hex');
}

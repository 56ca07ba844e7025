/**
 * The kernel's use of the training cache (../engine/train/training-cache.ts): what keys a
 * `trainNetwork` request, what is stored beside the model, and how a restored entry becomes the
 * session's model again. `fresh` on a statement (context.freshTraining) trains anyway and
 * replaces the entry.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '../engine/tf';
import { datasetFingerprint } from '../engine/data/fingerprint';
import type { Evaluation } from '../engine/train/evaluate';
import type { Latency } from '../engine/train/latency';
import type { TrainResult } from '../engine/train/loop';
import type { Restart } from '../engine/train/restart';
import { DEFAULT_TRAINING_CACHE_MAX_MB, TrainingCache, trainingKey } from '../engine/train/training-cache';
import type { ExecutionContext } from './context';
import { checkpointFolder, trainingCacheFolder } from '../engine/train/cache-folder';
import { FileCheckpointStore } from '../engine/train/checkpoint';

/** What is stored beside the weights: everything a trained model's outputs show. */
export interface StoredTraining {
  params: number;
  train: TrainResult;
  restarts: Restart[];
  evaluation: Evaluation;
  latency?: Latency;
}

/** The cache folder's size limit: CCNET_TRAINING_CACHE_MB (MB), default 2048. */
export function trainingCacheMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.CCNET_TRAINING_CACHE_MB);
  return (Number.isFinite(mb) && mb >= 0 ? mb : DEFAULT_TRAINING_CACHE_MAX_MB) * 1024 * 1024;
}

export function trainingCacheOf(cacheDir: string): TrainingCache {
  return new TrainingCache(trainingCacheFolder(cacheDir), trainingCacheMaxBytes());
}

/** The key of a training: the dataset's content and preparation, the network, the options, the recipe, the backend. */
export async function trainingCacheKey(
  context: ExecutionContext,
  what: { dataset: string; trainIds: string[] | null; network: unknown; alpha: number; options: Record<string, unknown>; recipe: string; quantizationBits?: number },
): Promise<string> {
  const backend = await context.session.ensureBackend();
  const fingerprint = await context.session.fingerprintOf(what.dataset, () => datasetFingerprint(context.session.dataset(what.dataset), context.signal));
  return trainingKey({ ...what, dataset: fingerprint, backend: backend.name });
}

/** The stored training of the key (undefined when absent, or when the statement says fresh). */
export async function restoreTraining(context: ExecutionContext, key: string): Promise<{ model: tf.LayersModel; stored: StoredTraining; storedAt: string } | undefined> {
  if (context.freshTraining) return undefined;
  const found = await trainingCacheOf(context.cacheDir).restore<StoredTraining>(key);
  return found && { model: found.model, stored: found.record, storedAt: found.storedAt };
}

/** Stores a finished training; a cache that cannot be written (disk full, read-only) only costs the next run its time. */
export async function storeTraining(context: ExecutionContext, key: string, model: tf.LayersModel, stored: StoredTraining, label: string): Promise<void> {
  try {
    await trainingCacheOf(context.cacheDir).store(key, model, stored);
  } catch (error) {
    context.emit({ type: 'log', stream: 'stderr', text: `${label}: could not keep the training in the cache (${(error as Error).message}); running the statement again will train again\n` });
  }
}

/** "restored: trained on 2026-12-02 21:40 in 83.2 s". */
export function restoredNote(storedAt: string, trainMs: number): string {
  const when = storedAt.replace('T', ' ').slice(0, 16);
  return `restored: trained on ${when} UTC in ${(trainMs / 1000).toFixed(1)} s`;
}

/** The checkpoint of attempt `attempt` of the training of the key (see ../engine/train/checkpoint.ts). */
export function checkpointOf(context: ExecutionContext, key: string, attempt: number): FileCheckpointStore {
  return new FileCheckpointStore(join(checkpointFolder(context.cacheDir), `${key}.attempt-${attempt}.ckpt`));
}

/** Removes the checkpoints of every attempt of the key (the training is finished and cached, or `fresh` starts over). */
export async function removeCheckpoints(context: ExecutionContext, key: string): Promise<void> {
  const folder = checkpointFolder(context.cacheDir);
  if (!existsSync(folder)) return;
  for (const file of await readdir(folder)) if (file.startsWith(`${key}.`)) await rm(join(folder, file), { force: true });
}

/** "resumed from the checkpoint of epoch 3 of 20 (saved 2026-12-03 08:10 UTC)". */
export function resumedNote(resumed: { fromEpoch: number; savedAt: string }, epochs: number): string {
  return `resumed from the checkpoint of epoch ${resumed.fromEpoch} of ${epochs} (saved ${resumed.savedAt.replace('T', ' ').slice(0, 16)} UTC), left by an earlier run that was interrupted, crashed or lost its window; \`fresh\` on the statement starts over`;
}

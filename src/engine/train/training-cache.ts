/**
 * The training cache: every finished training kept on disk under a key of what determines it,
 * so that running the same statement again (in the same kernel, after a restart or a window
 * reload) restores the trained network and its results instead of training again.
 *
 * - Key: SHA-256 of a JSON description the caller builds from everything that determines the
 *   result (the dataset files' content hashes and preparation, the network and width, the
 *   training options and seed, the training recipe, the backend). Same key, same training.
 * - Entry: a folder KEY/ with the model in the TensorFlow.js layers format (persist.ts) and
 *   entry.json with the caller's record (training history, evaluation, timings). A folder is
 *   written under a temporary name and renamed, so a crash never leaves a half entry.
 * - Size limit and eviction: after each store, the least recently used entries (by the time
 *   entry.json was last written or restored) are removed until the cache is at most maxBytes;
 *   the entry just stored is kept even when it alone is larger.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '../tf';
import { loadModel, saveModel } from './persist';

export const TRAINING_CACHE_FORMAT_VERSION = 1;
export const DEFAULT_TRAINING_CACHE_MAX_MB = 2048;
const ENTRY_JSON = 'entry.json';

export interface CachedTraining<Record> {
  model: tf.LayersModel;
  record: Record;
  /** When the entry was stored (ISO 8601). */
  storedAt: string;
}

export interface TrainingCacheUsage {
  entries: number;
  bytes: number;
}

/** SHA-256 (hex) of the description, with object keys sorted so that key order does not matter. */
export function trainingKey(description: unknown): string {
  return createHash('sha256').update(JSON.stringify({ cacheFormat: TRAINING_CACHE_FORMAT_VERSION, description }, sortedKeys)).digest('hex');
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
}

/** JSON that keeps NaN and infinities (a training without validation has NaN losses). */
function encodeNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { nonFiniteNumber: String(value) } : value;
}

function decodeNumbers(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && 'nonFiniteNumber' in value && Object.keys(value).length === 1) return Number((value as { nonFiniteNumber: string }).nonFiniteNumber);
  return value;
}

export class TrainingCache {
  constructor(
    readonly folder: string,
    readonly maxBytes = DEFAULT_TRAINING_CACHE_MAX_MB * 1024 * 1024,
  ) {}

  /** The stored training of the key, or undefined; an unreadable entry is removed and counts as absent. */
  async restore<Record>(key: string): Promise<CachedTraining<Record> | undefined> {
    const entry = join(this.folder, key);
    if (!existsSync(join(entry, ENTRY_JSON))) return undefined;
    try {
      const stored = JSON.parse(await readFile(join(entry, ENTRY_JSON), 'utf8'), decodeNumbers) as { storedAt: string; record: Record };
      const model = await loadModel(entry);
      const now = new Date();
      await utimes(join(entry, ENTRY_JSON), now, now); // recently used: evicted last
      return { model, record: stored.record, storedAt: stored.storedAt };
    } catch {
      await rm(entry, { recursive: true, force: true });
      return undefined;
    }
  }

  /** Stores a training under its key (replacing an entry of the same key), then evicts to the size limit. */
  async store<Record>(key: string, model: tf.LayersModel, record: Record): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const staging = join(this.folder, `.staging-${randomUUID()}`);
    try {
      await saveModel(model, staging);
      await writeFile(join(staging, ENTRY_JSON), JSON.stringify({ storedAt: new Date().toISOString(), record }, encodeNumbers));
      await rm(join(this.folder, key), { recursive: true, force: true });
      await rename(staging, join(this.folder, key));
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    await this.evict(key);
  }

  /** Entries and bytes on disk. */
  async usage(): Promise<TrainingCacheUsage> {
    const entries = await this.entries();
    return { entries: entries.length, bytes: entries.reduce((sum, e) => sum + e.bytes, 0) };
  }

  /** Removes every entry; returns what was removed. */
  async clear(): Promise<TrainingCacheUsage> {
    const usage = await this.usage();
    await rm(this.folder, { recursive: true, force: true });
    return usage;
  }

  private async evict(keep: string): Promise<void> {
    const entries = (await this.entries()).sort((a, b) => a.usedMs - b.usedMs);
    let total = entries.reduce((sum, e) => sum + e.bytes, 0);
    for (const entry of entries) {
      if (total <= this.maxBytes) break;
      if (entry.key === keep) continue;
      await rm(join(this.folder, entry.key), { recursive: true, force: true });
      total -= entry.bytes;
    }
  }

  private async entries(): Promise<{ key: string; bytes: number; usedMs: number }[]> {
    if (!existsSync(this.folder)) return [];
    const found = [];
    for (const key of await readdir(this.folder)) {
      if (key.startsWith('.')) continue;
      const folder = join(this.folder, key);
      try {
        const files = await readdir(folder);
        let bytes = 0;
        for (const file of files) bytes += (await stat(join(folder, file))).size;
        found.push({ key, bytes, usedMs: (await stat(join(folder, ENTRY_JSON))).mtimeMs });
      } catch {
        // an entry removed meanwhile (another kernel evicting), or not an entry
      }
    }
    return found;
  }
}

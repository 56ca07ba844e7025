/**
 * A cache of measure values keyed by image content, so that measuring a dataset again is
 * instant and an image whose bytes changed is measured afresh.
 *
 * Key: (SHA-256 of the file's bytes, maxSidePx the image was downscaled to, measure id, measure
 * version). The version (ImageMeasure.version) changes whenever a measure's definition or
 * settings do, so stale values are never returned. Layout: one small JSON file per (content
 * hash, maxSidePx), `<dir>/<hash[0..2]>/<hash>-s<maxSidePx>.json`, holding
 * `{ "values": { "<id>@<version>": number } }`. Writes go to a temporary file that is renamed
 * into place, so a reader never sees half a file; an unreadable entry counts as a miss.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../util/atomic-write';
import type { ImageMeasure } from './measure';

export function contentSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type MeasureKey = Pick<ImageMeasure, 'id' | 'version'>;

function entryKey(measure: MeasureKey): string {
  return `${measure.id}@${measure.version}`;
}

export class ComplexityCache {
  constructor(readonly dir: string) {}

  private entryPath(contentHash: string, maxSidePx: number): string {
    return join(this.dir, contentHash.slice(0, 2), `${contentHash}-s${maxSidePx}.json`);
  }

  private async readEntry(contentHash: string, maxSidePx: number): Promise<Record<string, number>> {
    try {
      const parsed = JSON.parse(await readFile(this.entryPath(contentHash, maxSidePx), 'utf8')) as { values?: unknown };
      return parsed.values && typeof parsed.values === 'object' ? (parsed.values as Record<string, number>) : {};
    } catch {
      return {};
    }
  }

  /** The cached values (by measure id) of those measures that have one. */
  async get(contentHash: string, maxSidePx: number, measures: readonly MeasureKey[]): Promise<Record<string, number>> {
    const stored = await this.readEntry(contentHash, maxSidePx);
    const found: Record<string, number> = {};
    for (const measure of measures) {
      const value = stored[entryKey(measure)];
      if (typeof value === 'number' && Number.isFinite(value)) found[measure.id] = value;
    }
    return found;
  }

  /** Stores finite values (by measure id), merged with what the entry already holds. */
  async put(contentHash: string, maxSidePx: number, measures: readonly MeasureKey[], values: Record<string, number>): Promise<void> {
    const stored = await this.readEntry(contentHash, maxSidePx);
    let changed = false;
    for (const measure of measures) {
      const value = values[measure.id];
      if (typeof value === 'number' && Number.isFinite(value)) {
        stored[entryKey(measure)] = value;
        changed = true;
      }
    }
    if (!changed) return;
    await writeFileAtomically(this.entryPath(contentHash, maxSidePx), JSON.stringify({ values: stored }));
  }
}

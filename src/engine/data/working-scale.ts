/**
 * The working scale of a dataset: one factor by which every image and mask is resized (keeping
 * each image's aspect ratio) before networks see it.
 *
 * `scale auto` fits the structures to the patch a network trains on. A 128-pixel patch of a
 * full-resolution dermoscopy image shows skin or lesion, rarely the lesion's border, and the
 * network never sees an object whole; thin vessels or membranes, in contrast, must keep their
 * pixels. The rule, for a dataset that trains on patches of P pixels:
 *
 *   f = min(1, max(T / t, P / s)),  T = P / 4
 *
 * where t is the dataset's typical structure thickness at its stored resolution (the mask
 * measure `thickness`: 4 x the mean distance from a foreground pixel to the background, see
 * ../complexity/mask-measures.ts) and s is the shortest image side. So structures thicker than
 * a quarter of the patch are brought down to that thickness, thinner ones are never enlarged
 * (f <= 1), and no image becomes smaller than the patch. The factor is rounded to 3 decimals,
 * so that it identifies the preparation (in calibration files) and is the same on every machine.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../util/atomic-write';
import type { ImageMaskPair } from './dataset';
import { decodeImage } from './imageio';
import { binarizeMask } from './samples';
import { datasetMaskMeasures } from '../complexity/mask-measures';

/** T / P: the structure thickness `scale auto` aims at, as a share of the patch side. */
export const AUTO_SCALE_THICKNESS_SHARE_OF_PATCH = 1 / 4;

export type ScaleSpec = number | 'auto';

export interface StructureFitScale {
  /** The factor f. */
  scale: number;
  /** t: mean structure thickness of the masks at their stored resolution (pixels). */
  nativeThicknessPx: number;
  /** s: shortest image side at the stored resolution (pixels). */
  shortestSidePx: number;
}

/**
 * Changes whenever the thickness measure or the mask binarization changes, so that a cached
 * thickness (see masksThickness) is never one of another definition.
 */
export const MASK_THICKNESS_CACHE_VERSION = 1;

/**
 * The `scale auto` factor of a dataset's pairs for patches of patchPx. Decoding every mask and
 * its distance transform takes seconds on a real dataset, so with a cacheDir the thickness is
 * stored there, keyed by the masks' bytes (see masksThickness); image sides come from the index.
 */
export async function structureFitScale(pairs: readonly ImageMaskPair[], patchPx: number, signal?: AbortSignal, cacheDir?: string): Promise<StructureFitScale> {
  const nativeThicknessPx = await masksThickness(pairs, signal, cacheDir);
  const shortestSidePx = Math.min(...pairs.map((p) => Math.min(p.widthPx, p.heightPx)));
  return { scale: autoScaleFactor(nativeThicknessPx, shortestSidePx, patchPx), nativeThicknessPx, shortestSidePx };
}

/**
 * The masks' typical structure thickness at their stored resolution (mask measure `thickness`).
 * Cached in `<cacheDir>/<key>.json` as `{ "nativeThicknessPx": number }`, where key = SHA-256
 * over the cache version and, per pair in order, the SHA-256 of the mask file's bytes: changing
 * one byte of one mask, or the order, measures afresh. Writes are atomic (a temporary file
 * renamed into place); an unreadable entry counts as a miss.
 */
async function masksThickness(pairs: readonly ImageMaskPair[], signal?: AbortSignal, cacheDir?: string): Promise<number> {
  let entryPath: string | undefined;
  if (cacheDir) {
    const key = createHash('sha256').update(`mask-thickness v${MASK_THICKNESS_CACHE_VERSION}`);
    for (const pair of pairs) {
      signal?.throwIfAborted();
      key.update(`\n${createHash('sha256').update(await readFile(pair.maskPath)).digest('hex')}`);
    }
    entryPath = join(cacheDir, `${key.digest('hex')}.json`);
    const cached = await readFile(entryPath, 'utf8').then((text) => (JSON.parse(text) as { nativeThicknessPx?: unknown }).nativeThicknessPx).catch(() => undefined);
    // NaN (no foreground anywhere) is stored as null
    if (typeof cached === 'number' && Number.isFinite(cached)) return cached;
    if (cached === null) return Number.NaN;
  }
  const masks = [];
  for (const pair of pairs) {
    signal?.throwIfAborted();
    const decoded = await decodeImage(pair.maskPath, { channels: 1 });
    masks.push({ widthPx: decoded.width, heightPx: decoded.height, mask: binarizeMask(decoded.pixels) });
  }
  const nativeThicknessPx = datasetMaskMeasures(masks).thickness;
  if (entryPath) await writeFileAtomically(entryPath, JSON.stringify({ nativeThicknessPx: Number.isFinite(nativeThicknessPx) ? nativeThicknessPx : null }));
  return nativeThicknessPx;
}

/** f = min(1, max(T / t, P / s)) with T = P / 4, rounded to 3 decimals (up, where rounding down would make the shortest side smaller than P). */
export function autoScaleFactor(nativeThicknessPx: number, shortestSidePx: number, patchPx: number): number {
  const targetThicknessPx = patchPx * AUTO_SCALE_THICKNESS_SHARE_OF_PATCH;
  // masks without foreground have no thickness: nothing to fit, keep the stored resolution
  const byThickness = nativeThicknessPx > 0 ? targetThicknessPx / nativeThicknessPx : 1;
  const bySide = patchPx / shortestSidePx;
  const factor = Math.min(1, Math.max(byThickness, bySide));
  const rounded = Math.round(factor * 1000) / 1000;
  return Math.round(shortestSidePx * rounded) < patchPx ? Math.ceil(factor * 1000) / 1000 : rounded;
}

/** An image side at the working scale (at least 1 pixel). */
export function scaledSidePx(sidePx: number, scale: number): number {
  return Math.max(1, Math.round(sidePx * scale));
}

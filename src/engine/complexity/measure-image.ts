/**
 * Measures one encoded image (file bytes): decode with the dataset's size cap, then every
 * requested measure. Runs in a worker thread (worker.ts) or, as a fallback, in the caller's.
 */
import { decodeImage, ImageDecodeError } from '../data/imageio';
import type { ImageMeasure } from './measure';

export type MeasureImageOutcome = { ok: true; values: Record<string, number> } | { ok: false; decodeError: string };

export async function measureImageBytes(
  bytes: Uint8Array,
  label: string,
  measures: readonly ImageMeasure[],
  maxSidePx: number,
): Promise<MeasureImageOutcome> {
  let image;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    image = await decodeImage(buffer, { maxSidePx });
  } catch (error) {
    if (!(error instanceof ImageDecodeError)) throw error;
    // decodeImage names a buffer '<buffer>'; name the file instead
    return { ok: false, decodeError: error.message.replace('<buffer>', label) };
  }
  const values: Record<string, number> = {};
  for (const measure of measures) {
    const value = await measure.compute(image);
    if (!Number.isFinite(value)) throw new Error(`measure ${measure.id} gave ${value} for ${label}`);
    values[measure.id] = value;
  }
  return { ok: true, values };
}

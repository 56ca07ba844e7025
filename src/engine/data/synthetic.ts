/**
 * The product's own embedded dataset: synthetic, microscopy-like images of cells with exact
 * masks, so that a new user (and CI) has data without downloading anything.
 *
 * Each image is a smooth uneven background (illumination) with elliptical cells. A cell has a
 * brighter cytoplasm with a textured interior, a darker nucleus and a bright rim. Gaussian
 * noise is added last. The mask is the exact union of the cell ellipses.
 *
 * One parameter, `complexity` in [0, 1], moves the images from few large smooth cells with
 * little noise (0) to many small textured cells with strong noise and clutter (1), so its
 * JPEG complexity rises with it (tested).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { SeededRandom } from '../util/random';

export interface SyntheticOptions {
  /** 0 (simple) .. 1 (complex). */
  complexity: number;
  /** Number of image/mask pairs. */
  count: number;
  /** Width and height in pixels. */
  sizePx: number;
  seed: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = { complexity: 0.5, count: 24, sizePx: 128, seed: 1 };

export interface SyntheticPair {
  /** 8-bit gray pixels, row-major. */
  image: Uint8Array;
  /** 0 or 255 per pixel. */
  mask: Uint8Array;
}

interface Cell {
  cx: number;
  cy: number;
  radiusX: number;
  radiusY: number;
  angle: number;
  brightness: number;
  textureFrequency: number;
  texturePhase: number;
}

/** Checks the options, with a message naming the bad one. */
export function validateSyntheticOptions(options: SyntheticOptions): void {
  const { complexity, count, sizePx, seed } = options;
  if (!(complexity >= 0 && complexity <= 1)) throw new RangeError(`synthetic complexity ${complexity} must be between 0 and 1`);
  if (!Number.isInteger(count) || count < 1 || count > 10000) throw new RangeError(`synthetic count ${count} must be a whole number from 1 to 10000`);
  if (!Number.isInteger(sizePx) || sizePx < 16 || sizePx > 4096) throw new RangeError(`synthetic size ${sizePx} must be a whole number of pixels from 16 to 4096`);
  if (!Number.isFinite(seed)) throw new RangeError(`synthetic seed ${seed} must be a number`);
}

/** Generates pair number `index` of a synthetic dataset (deterministic in seed and index). */
export function generateSyntheticPair(options: SyntheticOptions, index: number): SyntheticPair {
  validateSyntheticOptions(options);
  const { complexity, sizePx } = options;
  const random = new SeededRandom(options.seed * 100003 + index * 7919 + 17);
  const pixelCount = sizePx * sizePx;
  const image = new Float32Array(pixelCount);
  const mask = new Uint8Array(pixelCount);

  // Background: slowly varying illumination from a few broad Gaussian bumps.
  const bumps = Array.from({ length: 3 }, () => ({
    x: random.uniform(0, sizePx),
    y: random.uniform(0, sizePx),
    sigma: random.uniform(0.3, 0.7) * sizePx,
    amplitude: random.uniform(10, 30),
  }));
  const clutterFrequency = (0.15 + 0.35 * complexity) * (2 * Math.PI) / 8;
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      let value = 60;
      for (const b of bumps) value += b.amplitude * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.sigma ** 2));
      // Background clutter (debris, out-of-focus structure) grows with complexity.
      value += complexity * 14 * Math.sin(clutterFrequency * x + 1.3 * Math.sin(0.05 * y)) * Math.cos(clutterFrequency * 0.7 * y);
      image[y * sizePx + x] = value;
    }
  }

  // Cells: more, smaller and more textured as complexity rises.
  const cellCount = Math.max(1, Math.round((3 + 25 * complexity) * (sizePx / 128) ** 2));
  const meanRadius = sizePx * (0.14 - 0.08 * complexity);
  const cells: Cell[] = Array.from({ length: cellCount }, () => {
    const radius = meanRadius * random.uniform(0.6, 1.4);
    return {
      cx: random.uniform(0, sizePx),
      cy: random.uniform(0, sizePx),
      radiusX: radius * random.uniform(0.8, 1.25),
      radiusY: radius * random.uniform(0.8, 1.25),
      angle: random.uniform(0, Math.PI),
      brightness: random.uniform(60, 100),
      textureFrequency: random.uniform(0.4, 1.2) * (0.3 + complexity),
      texturePhase: random.uniform(0, 2 * Math.PI),
    };
  });
  for (const cell of cells) drawCell(cell, image, mask, sizePx, complexity);

  // Sensor noise.
  const noiseSigma = 3 + 22 * complexity;
  const out = new Uint8Array(pixelCount);
  for (let p = 0; p < pixelCount; p++) {
    out[p] = Math.max(0, Math.min(255, Math.round(image[p]! + noiseSigma * random.normal())));
  }
  return { image: out, mask };
}

function drawCell(cell: Cell, image: Float32Array, mask: Uint8Array, sizePx: number, complexity: number): void {
  const cos = Math.cos(cell.angle);
  const sin = Math.sin(cell.angle);
  const reach = Math.ceil(Math.max(cell.radiusX, cell.radiusY)) + 2;
  const x0 = Math.max(0, Math.floor(cell.cx - reach));
  const x1 = Math.min(sizePx - 1, Math.ceil(cell.cx + reach));
  const y0 = Math.max(0, Math.floor(cell.cy - reach));
  const y1 = Math.min(sizePx - 1, Math.ceil(cell.cy + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - cell.cx;
      const dy = y - cell.cy;
      const u = (dx * cos + dy * sin) / cell.radiusX;
      const v = (-dx * sin + dy * cos) / cell.radiusY;
      const r = Math.sqrt(u * u + v * v);
      if (r > 1) continue;
      const p = y * sizePx + x;
      mask[p] = 255;
      const texture = 1 + (0.15 + 0.5 * complexity) * Math.sin(cell.textureFrequency * x + cell.texturePhase) * Math.sin(cell.textureFrequency * 1.3 * y);
      let value = 70 + cell.brightness * texture;
      if (r < 0.4) value -= 45 * (1 - r / 0.4); // nucleus
      if (r > 0.85) value += 40 * ((r - 0.85) / 0.15); // bright rim
      image[p] = value;
    }
  }
}

/**
 * Writes a synthetic dataset to `folder` as images/NNN.png and masks/NNN.png, the layout that
 * `dataset NAME from "folder"` reads. Returns the number of pairs written.
 */
export async function writeSyntheticDataset(
  folder: string,
  options: SyntheticOptions,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  validateSyntheticOptions(options);
  await mkdir(join(folder, 'images'), { recursive: true });
  await mkdir(join(folder, 'masks'), { recursive: true });
  const digits = String(options.count - 1).length;
  for (let i = 0; i < options.count; i++) {
    signal?.throwIfAborted();
    const { image, mask } = generateSyntheticPair(options, i);
    const name = `${String(i).padStart(Math.max(3, digits), '0')}.png`;
    const raw = { width: options.sizePx, height: options.sizePx, channels: 1 as const };
    await writeFile(join(folder, 'images', name), await sharp(Buffer.from(image), { raw }).png().toBuffer());
    await writeFile(join(folder, 'masks', name), await sharp(Buffer.from(mask), { raw }).png().toBuffer());
    onProgress?.(i + 1, options.count);
  }
  return options.count;
}

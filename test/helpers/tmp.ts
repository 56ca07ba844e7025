import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempFolder(prefix = 'ccnet-test-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Writes a gray PNG of the given size filled by `value(x, y)`. */
export async function writeGrayPng(path: string, width: number, height: number, value: (x: number, y: number) => number): Promise<void> {
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = value(x, y);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await sharp(pixels, { raw: { width, height, channels: 1 } }).png().toBuffer());
}

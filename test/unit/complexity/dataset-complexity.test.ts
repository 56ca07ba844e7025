import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { DatasetError, indexDataset, type DatasetIndex } from '../../../src/engine/data/dataset';
import { measureDataset } from '../../../src/engine/complexity/dataset-complexity';
import { jpegComplexity } from '../../../src/engine/complexity/jpeg';
import { resolveMeasures } from '../../../src/engine/complexity/registry';
import { SeededRandom } from '../../../src/engine/util/random';
import { tempFolder } from '../../helpers/tmp';

const SIZE = 48;

/** A textured test picture: a gradient plus seeded noise, with `channels` channels (1-4), 8 or 16 bit (little-endian). */
function picture(channels: number, seed: number, sixteenBit = false): { data: Buffer; raw: { width: number; height: number; channels: 1 | 2 | 3 | 4 } } {
  const random = new SeededRandom(seed);
  const samples = SIZE * SIZE * channels;
  const data = sixteenBit ? Buffer.alloc(samples * 2) : Buffer.alloc(samples);
  for (let p = 0; p < SIZE * SIZE; p++) {
    for (let c = 0; c < channels; c++) {
      const alpha = channels === 4 && c === 3;
      const value8 = alpha ? 255 : Math.min(255, Math.max(0, Math.round(((p % SIZE) * 3 + c * 20 + random.normal() * 25))));
      if (sixteenBit) data.writeUInt16LE(value8 * 257, (p * channels + c) * 2);
      else data[p * channels + c] = value8;
    }
  }
  return { data, raw: { width: SIZE, height: SIZE, channels: channels as 1 | 2 | 3 | 4 } };
}

async function writeMask(root: string, id: string): Promise<void> {
  await mkdir(join(root, 'masks'), { recursive: true });
  await sharp(Buffer.alloc(SIZE * SIZE), { raw: { width: SIZE, height: SIZE, channels: 1 } }).png().toFile(join(root, 'masks', `${id}.png`));
}

async function writeImage(root: string, name: string, encode: (s: Sharp) => Sharp, channels: number, seed: number): Promise<void> {
  await mkdir(join(root, 'images'), { recursive: true });
  const { data, raw } = picture(channels, seed);
  await encode(sharp(data, { raw })).toFile(join(root, 'images', name));
  await writeMask(root, name.replace(/\.[^.]+$/, ''));
}

/** Writes a 16-bit gray file by hand (sharp's raw 16-bit input path does not round-trip): PNG or baseline TIFF. */
async function writeGray16(root: string, name: string, seed: number): Promise<void> {
  await mkdir(join(root, 'images'), { recursive: true });
  const { data } = picture(1, seed, true); // little-endian samples, value8 * 257
  const samples = Array.from({ length: SIZE * SIZE }, (_, i) => data.readUInt16LE(i * 2));
  const file = name.endsWith('.png') ? png16(samples) : tiff16(samples);
  await writeFile(join(root, 'images', name), file);
  await writeMask(root, name.replace(/\.[^.]+$/, ''));
}

function png16(samples: number[]): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([head, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 16; // bit depth
  ihdr[9] = 0; // gray
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 2));
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) rows.writeUInt16BE(samples[y * SIZE + x]!, y * (1 + SIZE * 2) + 1 + x * 2);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function tiff16(samples: number[]): Buffer {
  const entries: [number, number, number][] = [
    [256, 3, SIZE], [257, 3, SIZE], [258, 3, 16], [259, 3, 1], [262, 3, 1],
    [273, 4, 0], [277, 3, 1], [278, 3, SIZE], [279, 4, SIZE * SIZE * 2],
  ];
  const ifdOffset = 8;
  const dataOffset = ifdOffset + 2 + entries.length * 12 + 4;
  const b = Buffer.alloc(dataOffset + SIZE * SIZE * 2);
  b.write('II', 0, 'ascii');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(ifdOffset, 4);
  b.writeUInt16LE(entries.length, ifdOffset);
  entries.forEach(([tag, type, value], i) => {
    const at = ifdOffset + 2 + i * 12;
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(1, at + 4);
    if (type === 3) b.writeUInt16LE(value, at + 8);
    else b.writeUInt32LE(tag === 273 ? dataOffset : value, at + 8);
  });
  samples.forEach((v, i) => b.writeUInt16LE(v, dataOffset + i * 2));
  return b;
}

test('reads PNG, JPEG, 8- and 16-bit TIFF, gray, RGB and RGBA; a 16-bit file equals its 8-bit twin', async () => {
  const dir = await tempFolder();
  try {
    await writeImage(dir.path, 'gray8.png', (s) => s.png(), 1, 1);
    await writeGray16(dir.path, 'gray16.png', 1);
    await writeImage(dir.path, 'rgb.jpg', (s) => s.jpeg({ quality: 90 }), 3, 2);
    await writeImage(dir.path, 'rgba.png', (s) => s.png(), 4, 3);
    await writeImage(dir.path, 'tiff8.tif', (s) => s.tiff(), 3, 4);
    await writeGray16(dir.path, 'tiff16.tif', 1);
    const index = await indexDataset({ name: 'formats', path: dir.path });
    const result = await measureDataset(index, resolveMeasures('all'), { workers: 0 });
    assert.equal(result.usedCount, 6);
    assert.deepEqual(result.skipped, []);
    const byId = Object.fromEntries(result.perImage.map((x) => [x.id, x.values]));
    for (const values of Object.values(byId)) for (const [id, v] of Object.entries(values)) assert.ok(Number.isFinite(v), `${id} ${v}`);
    // 16-bit samples are value8 * 257, scaled back exactly: the same pixels, the same values
    assert.deepEqual(byId['gray16'], byId['gray8']);
    assert.deepEqual(byId['tiff16'], byId['gray8']);
    for (const id of Object.keys(result.measures)) assert.equal(result.measures[id]!.count, 6);
  } finally {
    await dir.cleanup();
  }
});

test('a corrupt file is named and skipped, a BMP that sharp cannot read too, and the count says so', async () => {
  const dir = await tempFolder();
  try {
    await writeImage(dir.path, 'good.png', (s) => s.png(), 1, 5);
    await writeImage(dir.path, 'truncated.png', (s) => s.png(), 1, 6);
    const bytes = await readFile(join(dir.path, 'images', 'truncated.png'));
    await writeFile(join(dir.path, 'images', 'truncated.png'), bytes.subarray(0, 120)); // header intact, pixels cut
    await writeFile(join(dir.path, 'images', 'picture.bmp'), bmp24(4, 4));
    await writeMask(dir.path, 'picture');
    const index = await indexDataset({ name: 'broken', path: dir.path });
    const result = await measureDataset(index, resolveMeasures(['j', 'b']), { workers: 0 });
    assert.equal(result.usedCount, 1);
    assert.equal(result.imageCount, 3);
    const paths = result.skipped.map((s) => s.path).join(' ');
    assert.match(paths, /truncated\.png/);
    assert.match(paths, /picture\.bmp/);
    for (const s of result.skipped) assert.match(s.reason, /cannot read image .*; fix or remove the file/);
    assert.equal(result.measures['j']!.count, 1);
  } finally {
    await dir.cleanup();
  }
});

test('a dataset with no readable image is an error naming it', async () => {
  const index: DatasetIndex = {
    name: 'empty', root: '/nowhere', imagesGlob: '', masksGlob: '', sizePx: undefined, patchPx: undefined, skipped: [],
    pairs: [],
  };
  await assert.rejects(measureDataset(index, resolveMeasures(['j'])), (e: unknown) => e instanceof DatasetError && /dataset empty: no images/.test(e.message));
  const gone: DatasetIndex = { ...index, pairs: [{ id: 'x', imagePath: '/nowhere/x.png', maskPath: '/nowhere/m.png', widthPx: 1, heightPx: 1, channels: 1 }] };
  await assert.rejects(measureDataset(gone, resolveMeasures(['j']), { workers: 0 }), (e: unknown) => e instanceof DatasetError && /no image could be read.*x\.png/.test(e.message));
});

test('maxSidePx downscales before measuring', async () => {
  const dir = await tempFolder();
  try {
    await writeImage(dir.path, 'a.png', (s) => s.png(), 1, 8);
    const index = await indexDataset({ name: 'small', path: dir.path });
    const full = await measureDataset(index, [jpegComplexity], { workers: 0 });
    const capped = await measureDataset(index, [jpegComplexity], { workers: 0, maxSidePx: 16 });
    assert.notEqual(full.measures['j']!.mean, capped.measures['j']!.mean);
  } finally {
    await dir.cleanup();
  }
});

test('worker threads give the same values as this thread; the cache answers a re-run and notices a changed image', async () => {
  const dir = await tempFolder();
  const cacheDir = join(dir.path, 'cache');
  const data = join(dir.path, 'data');
  try {
    for (let i = 0; i < 4; i++) await writeImage(data, `img${i}.png`, (s) => s.png(), i === 3 ? 3 : 1, 10 + i);
    const index = await indexDataset({ name: 'pool', path: data });
    const measures = resolveMeasures('all');
    const inThread = await measureDataset(index, measures, { workers: 0 });
    const first = await measureDataset(index, measures, { workers: 2, cacheDir });
    assert.equal(first.workerCount, 2);
    assert.equal(inThread.workerCount, 0);
    assert.deepEqual(first.perImage, inThread.perImage);
    assert.equal(first.cachedCount, 0);

    const again = await measureDataset(index, measures, { workers: 2, cacheDir });
    assert.equal(again.cachedCount, 4);
    assert.deepEqual(again.perImage, first.perImage);

    // change one image's content: it alone is measured again, and its values change
    await writeImage(data, 'img1.png', (s) => s.png(), 1, 99);
    const changed = await measureDataset(index, measures, { workers: 0, cacheDir });
    assert.equal(changed.cachedCount, 3);
    assert.notDeepEqual(changed.perImage[1]!.values, first.perImage[1]!.values);
    assert.deepEqual(changed.perImage[0], first.perImage[0]);

    // a different size cap is a different key
    const capped = await measureDataset(index, [jpegComplexity], { workers: 0, cacheDir, maxSidePx: 16 });
    assert.equal(capped.cachedCount, 0);
  } finally {
    await dir.cleanup();
  }
});

/** A minimal 24-bit Windows bitmap (BITMAPINFOHEADER), gray ramp. */
function bmp24(width: number, height: number): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + rowBytes * height;
  const b = Buffer.alloc(size);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(rowBytes * height, 34);
  for (let y = 0; y < height; y++) for (let x = 0; x < width * 3; x++) b[54 + y * rowBytes + x] = x * 10;
  return b;
}

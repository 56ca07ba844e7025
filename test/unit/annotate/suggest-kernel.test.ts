import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { generateSyntheticPair } from '../../../src/engine/data/synthetic';
import { KernelClient } from '../../../src/host/client';
import { RESULT_JSON_MIME } from '../../../src/protocol/outputs';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { kernelPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';
import { mkdir } from 'node:fs/promises';

/** Writes synthetic images (no masks) into the pool folder, named KIND-N.png. */
async function writePool(folder: string, kind: string, complexity: number, seed: number, count: number, invert = false) {
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) {
    const { image } = generateSyntheticPair({ complexity, count, sizePx: 64, seed }, i);
    const pixels = Buffer.from(invert ? image.map((v) => 255 - v) : image);
    await writeFile(join(folder, `${kind}-${i}.png`), await sharp(pixels, { raw: { width: 64, height: 64, channels: 1 } }).png().toBuffer());
  }
}

/** The last JSON result the kernel emitted. */
function lastResult(events: readonly KernelEvent[]): unknown {
  return events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])).at(-1);
}

type Suggestions = { suggestions: { rank: number; file: string; uncertainty: number }[]; uncertainty: { file: string; uncertainty: number }[] };

test('suggest: an ensemble trained on simple images ranks the unfamiliar pool images first, and its suggestions cover every kind in the pool', async () => {
  requireBuilt();
  const dir = await tempFolder();
  try {
    const pool = join(dir.path, 'pool');
    await writePool(pool, 'familiar', 0.1, 50, 6);
    await writePool(pool, 'crowded', 1, 60, 4);
    await writePool(pool, 'inverted', 0.1, 70, 4, true);
    const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
    const events: KernelEvent[] = [];
    try {
      const source = ['synthetic labelled complexity 0.1 count 24 size 64 seed 1', `suggest 4 from "pool" using labelled ensemble 4 alpha 1/8 epochs 15 lr 0.01 to "next.txt"`].join('\n');
      const result = await kernel.execute(source, dir.path, (e) => events.push(e));
      assert.equal(result.success, true, JSON.stringify(result.error));
    } finally {
      await kernel.dispose();
    }
    const json = lastResult(events) as Suggestions;
    const kindOf = (file: string) => /(familiar|crowded|inverted)-\d+\.png$/.exec(file)![1]!;
    const mean = (kind: string) => {
      const values = json.uncertainty.filter((u) => kindOf(u.file) === kind).map((u) => u.uncertainty);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    const detail = JSON.stringify(json.uncertainty.map((u) => [kindOf(u.file), Number(u.uncertainty.toFixed(5))]));
    assert.ok(mean('crowded') > mean('familiar') && mean('inverted') > mean('familiar'), `unfamiliar kinds more uncertain: ${detail}`);
    // the five most uncertain pool images are unfamiliar ones
    const ranked = [...json.uncertainty].sort((a, b) => b.uncertainty - a.uncertainty);
    assert.deepEqual(ranked.slice(0, 5).filter((u) => kindOf(u.file) === 'familiar'), [], `ranking: ${detail}`);
    // the first suggestion is unfamiliar, and the four cover every kind (representativeness)
    assert.notEqual(kindOf(json.suggestions[0]!.file), 'familiar');
    const kinds = new Set(json.suggestions.map((s) => kindOf(s.file)));
    assert.deepEqual([...kinds].sort(), ['crowded', 'familiar', 'inverted'], `suggestions: ${JSON.stringify(json.suggestions.map((s) => kindOf(s.file)))}; ${detail}`);
    assert.equal(json.suggestions.length, 4);
    const list = (await readFile(join(dir.path, 'next.txt'), 'utf8')).trim().split('\n');
    assert.deepEqual(list, json.suggestions.map((s) => s.file));
    assert.ok(list.every((f) => existsSync(f)));
    assert.ok(events.some((e) => e.type === 'output' && e.output.items.some((i) => i.mime === 'application/vnd.ccnet.overlay+json')), 'disagreement overlays');
  } finally {
    await dir.cleanup();
  }
});

test('suggest: a pool folder that does not exist or holds no images is a clear error', async () => {
  requireBuilt();
  const dir = await tempFolder();
  try {
    await mkdir(join(dir.path, 'empty'));
    const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
    try {
      await kernel.execute('synthetic labelled complexity 0.1 count 8 size 32 seed 1', dir.path, () => {});
      const missing = await kernel.execute('suggest 2 from "nowhere" using labelled epochs 1', dir.path, () => {});
      assert.equal(missing.success, false);
      assert.match(missing.error!.message, /pool folder .*nowhere does not exist/);
      const empty = await kernel.execute('suggest 2 from "empty" using labelled epochs 1', dir.path, () => {});
      assert.match(empty.error!.message, /pool folder .*empty holds no images/);
      const typo = await kernel.execute('suggest 2 from "empty" using labeled', dir.path, () => {});
      assert.match(typo.error!.message, /labeled/);
    } finally {
      await kernel.dispose();
    }
  } finally {
    await dir.cleanup();
  }
});

test('study annotation: random, float and quantized suggestions over rounds, with a standard error over seeds; clauses of the other study refused', async () => {
  requireBuilt();
  const dir = await tempFolder();
  try {
    const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
    try {
      const events: KernelEvent[] = [];
      const source = ['synthetic cells complexity 0.4 count 20 size 32 seed 2', 'study annotation unet on cells labelled 4 suggest 2 rounds 2 seeds 2 bits 4 ensemble 2 epochs 2 alpha 1/16 lr 0.01'].join('\n');
      const result = await kernel.execute(source, dir.path, (e) => events.push(e));
      assert.equal(result.success, true, JSON.stringify(result.error));
      const json = lastResult(events) as {
        rows: { strategy: string; annotated: number; seeds: number; f1: number; f1StandardError: number }[];
        runs: { seed: number; strategy: string; annotated: number; f1: number }[];
      };
      assert.deepEqual([...new Set(json.rows.map((r) => r.strategy))], ['random', 'suggestive (float)', 'suggestive (4-bit)']);
      assert.deepEqual([...new Set(json.rows.map((r) => r.annotated))], [4, 6, 8]);
      assert.ok(json.rows.every((r) => r.seeds === 2 && Number.isFinite(r.f1)));
      // round 0 is the same training for every strategy (the same 4 images and seed): the same F1
      for (const seed of [1, 2]) {
        const first = json.runs.filter((r) => r.seed === seed && r.annotated === 4).map((r) => r.f1);
        assert.equal(new Set(first).size, 1, JSON.stringify(first));
      }
      // the standard error is the sample standard deviation over the two seeds / sqrt(2), by hand
      const row = json.rows.find((r) => r.strategy === 'random' && r.annotated === 8)!;
      const [a, b] = json.runs.filter((r) => r.strategy === 'random' && r.annotated === 8).map((r) => r.f1);
      assert.ok(Math.abs(row.f1StandardError - Math.abs(a! - b!) / Math.sqrt(2) / Math.sqrt(2)) < 1e-9);
      assert.ok(events.some((e) => e.type === 'output' && e.output.items.some((i) => i.mime === 'application/vnd.vegalite.v5+json')));

      const wrong = await kernel.execute('study annotation unet on cells labelled 4 suggest 2 rounds 1 prune 0.5', dir.path, () => {});
      assert.match(wrong.error!.message, /study annotation takes no prune: study annotation/);
      const missing = await kernel.execute('study annotation unet on cells labelled 4', dir.path, () => {});
      assert.match(missing.error!.message, /needs suggest and rounds/);
      const tooMany = await kernel.execute('study annotation unet on cells labelled 10 suggest 5 rounds 3 epochs 1', dir.path, () => {});
      assert.match(tooMany.error!.message, /= 25 images, but the training split of cells holds 16/);
    } finally {
      await kernel.dispose();
    }
  } finally {
    await dir.cleanup();
  }
});

test('study quantization: float and quantization-aware training on shares of the training images, smaller model.onnx at fewer bits', async () => {
  requireBuilt();
  const dir = await tempFolder();
  try {
    const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
    try {
      const events: KernelEvent[] = [];
      const source = ['synthetic cells complexity 0.4 count 16 size 32 seed 3', 'study quantization unet on cells bits 32, 4 fraction 0.5, 1 seeds 2 epochs 2 alpha 1/16 lr 0.01'].join('\n');
      const result = await kernel.execute(source, dir.path, (e) => events.push(e));
      assert.equal(result.success, true, JSON.stringify(result.error));
      const json = lastResult(events) as {
        rows: { fraction: number; bits: number; trainImages: number; seeds: number; f1: { mean: number; standardError: number }; onnxBytes: number }[];
        runs: { seed: number; fraction: number; bits: number; f1: number }[];
      };
      assert.deepEqual(json.rows.map((r) => [r.fraction, r.bits]), [[0.5, 32], [0.5, 4], [1, 32], [1, 4]]);
      // 16 images, 13 in each seed's training split: round(0.5 x 13) = 7 and 13
      assert.deepEqual(json.rows.map((r) => r.trainImages), [7, 7, 13, 13]);
      const float = json.rows.find((r) => r.bits === 32)!;
      const quantized = json.rows.find((r) => r.bits === 4)!;
      assert.ok(quantized.onnxBytes < float.onnxBytes, `${quantized.onnxBytes} < ${float.onnxBytes}`);
      const [a, b] = json.runs.filter((r) => r.fraction === 1 && r.bits === 4).map((r) => r.f1);
      const row = json.rows.find((r) => r.fraction === 1 && r.bits === 4)!;
      assert.ok(Math.abs(row.f1.mean - (a! + b!) / 2) < 1e-12 && Math.abs(row.f1.standardError - Math.abs(a! - b!) / 2) < 1e-9, 'mean and standard error over the two seeds, by hand');
      const wrong = await kernel.execute('study quantization unet on cells bits 32, 8 fraction 1 labelled 4', dir.path, () => {});
      assert.match(wrong.error!.message, /study quantization takes no labelled/);
      const bad = await kernel.execute('study quantization unet on cells bits 32, 1 fraction 1', dir.path, () => {});
      assert.match(bad.error!.message, /bits must be a whole number from 2 to 16, or 32/);
    } finally {
      await kernel.dispose();
    }
  } finally {
    await dir.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { generateSyntheticPair } from '../../../src/engine/data/synthetic';
import { KernelClient } from '../../../src/host/client';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { kernelPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';
import { lastResult } from '../../helpers/kernel';
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

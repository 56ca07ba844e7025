// Segmenting new images: the `segment` statement (session model), and `ccnet segment` on the
// model's ONNX and TensorFlow.js exports, write one 0/255 mask per image at the image's own
// size whose F1 against the truth, computed here from the PNG files, is what `evaluate`
// reports for those images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { KernelClient } from '../../../src/host/client';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { RESULT_JSON_MIME } from '../../../src/protocol/outputs';
import { cliPath, kernelPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

/** Dice of a 0/255 mask PNG against a truth mask PNG (foreground above 127), 1 when both are empty. */
async function diceOf(maskPng: string, truthPng: string): Promise<{ dice: number; width: number; height: number }> {
  const read = async (path: string) => sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  const mask = await read(maskPng);
  const truth = await read(truthPng);
  assert.equal(mask.info.width, truth.info.width, `${maskPng}: the image's own width`);
  assert.equal(mask.info.height, truth.info.height, `${maskPng}: the image's own height`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < mask.data.length; i++) {
    assert.ok(mask.data[i] === 0 || mask.data[i] === 255, 'masks are 0/255');
    const predicted = mask.data[i] === 255;
    const actual = truth.data[i]! > 127;
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
  }
  return { dice: 2 * tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn), width: mask.info.width, height: mask.info.height };
}

async function meanDice(masksDir: string, imagesDir: string): Promise<{ mean: number; count: number }> {
  const names = readdirSync(imagesDir).filter((f) => f.endsWith('.png')).sort();
  assert.deepEqual(readdirSync(masksDir).sort(), names, 'one mask per image, named after it');
  let sum = 0;
  for (const name of names) sum += (await diceOf(join(masksDir, name), join(imagesDir, '..', 'masks', name))).dice;
  return { mean: sum / names.length, count: names.length };
}

test('segment and ccnet segment (ONNX and TensorFlow.js exports) write masks whose F1 is what evaluate reports', async () => {
  requireBuilt();
  const dir = await tempFolder();
  const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
  try {
    const { writeSyntheticDataset } = await import('../../../src/engine/data/synthetic');
    await writeSyntheticDataset(join(dir.path, 'cells'), { complexity: 0.3, count: 10, sizePx: 48, seed: 2 });
    await writeSyntheticDataset(join(dir.path, 'new'), { complexity: 0.3, count: 20, sizePx: 48, seed: 9 });
    const events: KernelEvent[] = [];
    const result = await kernel.execute(
      [
        `dataset cells from "${dir.path}/cells" patch 32`,
        `dataset new from "${dir.path}/new" patch 32`,
        'train unet on cells alpha 1/16 epochs 3 lr 0.003 as m',
        'evaluate m on new',
        `export m to "${dir.path}/onnx"`,
        `export m to "${dir.path}/tfjs" format tfjs`,
        `segment m on "${dir.path}/new/images" to "${dir.path}/masks-kernel"`,
      ].join('\n'),
      dir.path,
      (e) => events.push(e),
    );
    assert.equal(result.success, true, JSON.stringify(result.error));
    const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])) as Record<string, unknown>[];
    const evaluated = json.filter((j) => j.name === 'm' && j.metrics).at(-1) as { metrics: { f1: { mean: number } }; testImages: number };
    assert.equal(evaluated.testImages, 20, 'evaluate on another dataset takes all of its images');
    const kernelMasks = await meanDice(join(dir.path, 'masks-kernel'), join(dir.path, 'new', 'images'));
    assert.equal(kernelMasks.count, 20);
    assert.ok(Math.abs(kernelMasks.mean - evaluated.metrics.f1.mean) < 1e-9, `segment ${kernelMasks.mean}, evaluate ${evaluated.metrics.f1.mean}`);
    for (const format of ['onnx', 'tfjs']) {
      const out = join(dir.path, `masks-${format}`);
      const cli = spawnSync(process.execPath, [cliPath, 'segment', join(dir.path, format), join(dir.path, 'new', 'images'), '--out', out, '--json'], { encoding: 'utf8', env: { ...process.env, CCNET_CACHE_DIR: dir.path }, timeout: 120_000 });
      assert.equal(cli.status, 0, cli.stderr);
      const summary = JSON.parse(cli.stdout) as { format: string; masks: unknown[] };
      assert.equal(summary.format, format);
      assert.equal(summary.masks.length, 20);
      const masks = await meanDice(out, join(dir.path, 'new', 'images'));
      // TensorFlow.js computes what the kernel did; ONNX Runtime's probabilities differ by ~1e-7, which may flip a pixel at 0.5
      assert.ok(Math.abs(masks.mean - evaluated.metrics.f1.mean) < (format === 'tfjs' ? 1e-9 : 1e-3), `${format}: ${masks.mean}, evaluate ${evaluated.metrics.f1.mean}`);
    }
  } finally {
    await kernel.dispose();
    await dir.cleanup();
  }
});

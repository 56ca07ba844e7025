import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newCalibration, type CalibrationPlan } from '../../../src/engine/ccnet/calibration-file';
import type { DatasetIndex } from '../../../src/engine/data/dataset';
import { recipeMismatch, trainingRecipeMismatch } from '../../../src/kernel/statements/select';

const plan: CalibrationPlan = { network: 'unet', baseWidth: 0.125, inputSizePx: 128, patchPx: 128, channels: 3, alphas: [1, 0.5], epochs: 16, seeds: [1, 2], batch: 4, learningRate: 0.003, recipe: 'recipe B' };
const index = (patchPx: number | undefined, sizePx?: number): DatasetIndex => ({ name: 'em', root: '/em', imagesGlob: '', masksGlob: '', sizePx, patchPx, pairs: [], skipped: [] });

test('a dataset that trains on patches as the calibration did gets no warning; whole images get one naming the fix', () => {
  const calibration = newCalibration(plan, 'wasm', []);
  assert.equal(recipeMismatch(calibration, index(128)), undefined);
  const warning = recipeMismatch(calibration, index(undefined, 64));
  assert.match(warning!, /128x128 patches/);
  assert.match(warning!, /dataset em trains on whole images at 64x64/);
  assert.match(warning!, /define it with patch 128/);
});

test('a calibration that prepared datasets with scale auto warns about a large-image dataset at its stored resolution', () => {
  const calibration = newCalibration({ ...plan, datasetScale: 'auto' }, 'wasm', []);
  const pair = (side: number) => ({ id: 'a', imagePath: '/a.png', maskPath: '/m.png', widthPx: side, heightPx: side, channels: 3 });
  const stored = { ...index(128), pairs: [pair(512)] };
  assert.match(recipeMismatch(calibration, stored)!, /downscaled every dataset .*scale auto.*define it with patch 128 scale auto/);
  assert.equal(recipeMismatch(calibration, { ...stored, scale: 0.4, autoScale: { nativeThicknessPx: 80, shortestSidePx: 512 } }), undefined);
  // images no larger than the patch would keep their resolution under scale auto: nothing to say
  assert.equal(recipeMismatch(calibration, { ...index(128), pairs: [pair(128)] }), undefined);
  // and the other way round
  assert.match(recipeMismatch(newCalibration(plan, 'wasm', []), { ...stored, scale: 0.4, autoScale: { nativeThicknessPx: 80, shortestSidePx: 512 } })!, /define it without scale auto/);
});

test('a calibration of another training recipe warns and gives the command that remakes it', () => {
  const same = newCalibration(plan, 'wasm', [], 'ccnet calibrate unet a b --out cal.json');
  assert.equal(trainingRecipeMismatch('cal', same, 'recipe B'), undefined);
  const other = trainingRecipeMismatch('cal', same, 'recipe C');
  assert.match(other!, /calibration cal was trained with "recipe B"; this version trains with "recipe C"/);
  assert.match(other!, /run `ccnet calibrate unet a b --out cal.json` again/);
  const unrecorded = newCalibration({ ...plan, recipe: undefined }, 'wasm', []);
  const old = trainingRecipeMismatch('old', unrecorded, 'recipe C');
  assert.match(old!, /before the training recipe was recorded/);
  assert.match(old!, /Recalibrate with the same datasets and plan/);
});

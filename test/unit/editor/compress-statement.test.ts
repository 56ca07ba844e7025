// The dashboard's constraint form becomes a compress statement, or names the wrong field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compressCommandCell, compressStatement, freshModelName, preparationOfCalibrationJson } from '../../../src/commands/compress-statement';
import { datasetClausesOf } from '../../../src/language/literal';
import type { CompressForm } from '../../../src/commands/dashboard-protocol';

const known = { datasets: ['hela', 'em'], calibrations: ['cal'], models: ['unet_hela_compressed'] };
const form = (changes: Partial<CompressForm>): CompressForm => ({ dataset: 'hela', network: 'unet', constraint: 'accuracy', value: '0.9', bits: '', batch: '', calibration: '', epochs: '', ...changes });

test('each constraint becomes the statement a user would type', () => {
  assert.deepEqual(compressStatement(form({}), known), { text: 'compress unet for hela accuracy >= 0.9 as unet_hela_compressed_2', name: 'unet_hela_compressed_2' });
  assert.deepEqual(compressStatement(form({ network: 'fcn', constraint: 'disk', value: '0.5', bits: '8', epochs: '30', calibration: 'cal' }), known), {
    text: 'compress fcn for hela disk <= 0.5 MB bits 8 epochs 30 using cal as fcn_hela_compressed',
    name: 'fcn_hela_compressed',
  });
  assert.deepEqual(compressStatement(form({ network: 'cumedvision', dataset: 'em', constraint: 'memory', value: '64', batch: '2' }), known), {
    text: 'compress cumedvision for em memory <= 64 MB batch 2 as cumedvision_em_compressed',
    name: 'cumedvision_em_compressed',
  });
});

test('wrong fields are named with what to do', () => {
  const problems = (f: Partial<CompressForm>) => {
    const result = compressStatement(form(f), known);
    assert.ok('problems' in result, JSON.stringify(result));
    return result.problems;
  };
  assert.deepEqual(problems({ value: '95' }), { value: 'accuracy 95 is above 1; give a fraction: did you mean 0.95?' });
  assert.deepEqual(problems({ value: 'high' }), { value: 'enter a number' });
  assert.deepEqual(problems({ constraint: 'disk', value: '-1' }), { value: 'the disk budget must be above 0 MB' });
  assert.deepEqual(problems({ constraint: 'disk', value: '1', bits: '64' }), { bits: 'bits must be a whole number from 2 to 16, or 32 (float), not 64' });
  assert.deepEqual(problems({ constraint: 'memory', value: '1', batch: '1.5' }), { batch: 'batch must be a whole number above 0, not 1.5' });
  assert.deepEqual(problems({ dataset: 'retina' }), { dataset: "dataset 'retina' is not in the kernel; run its cell again" });
  assert.deepEqual(problems({ dataset: '', network: 'squeezed-unet', epochs: '0' }), {
    dataset: 'choose a dataset (run a dataset or synthetic cell to add one)',
    network: 'choose unet, fcn or cumedvision',
    epochs: 'epochs must be a whole number above 0, not 0',
  });
  assert.deepEqual(problems({ calibration: 'other' }), { calibration: "calibration 'other' is not in the kernel" });
});

test('fresh model names do not replace existing models', () => {
  assert.equal(freshModelName('squeezed-unet', 'em', []), 'squeezed_unet_em_compressed');
  assert.equal(freshModelName('unet', 'em', ['unet_em_compressed', 'unet_em_compressed_2']), 'unet_em_compressed_3');
});

test('the compress command prepares the folder as the shipped calibration did, or at a square size', () => {
  assert.equal(datasetClausesOf({ inputSizePx: 128, patchPx: 128, datasetScale: 'auto' }), ' patch 128 scale auto');
  assert.equal(datasetClausesOf({ inputSizePx: 96, patchPx: 96 }), ' patch 96');
  assert.equal(datasetClausesOf({ inputSizePx: 64 }), ' size 64');
  // the shipped U-Net calibration trained 128 px patches at scale auto (README: its recorded command)
  const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '../../../media/calibrations/unet.json'), 'utf8')) as { plan: { inputSizePx: number; patchPx?: number; datasetScale?: 'auto' }; command: string };
  assert.match(shipped.command, /--patch 128 --scale auto/);
  assert.equal(datasetClausesOf(shipped.plan), ' patch 128 scale auto');
  assert.deepEqual(preparationOfCalibrationJson(shipped), { inputSizePx: 128, patchPx: 128, datasetScale: 'auto' });
  assert.deepEqual(preparationOfCalibrationJson({ format: 'ccnet-calibration', plan: { inputSizePx: 64 } }), { inputSizePx: 64 });
  assert.equal(preparationOfCalibrationJson({ format: 'something-else', plan: { inputSizePx: 64 } }), undefined);
  assert.equal(preparationOfCalibrationJson({ format: 'ccnet-calibration', plan: { inputSizePx: 64, datasetScale: 0.5 } }), undefined);
  assert.equal(preparationOfCalibrationJson(null), undefined);
  assert.equal(
    compressCommandCell('/data/my "em" set', 'unet', 'accuracy >= 0.9', ' patch 128 scale auto'),
    'dataset data from "/data/my \\"em\\" set" patch 128 scale auto\ncompress unet for data accuracy >= 0.9 as compressed',
  );
  assert.equal(compressCommandCell('/d', 'fcn', 'disk <= 1 MB bits 8', ' size 128'), 'dataset data from "/d" size 128\ncompress fcn for data disk <= 1 MB bits 8 as compressed');
  assert.throws(() => compressCommandCell('/d', 'unet', 'accuracy >=', ' size 128'), /the compress command wrote a cell the kernel rejects/);
});

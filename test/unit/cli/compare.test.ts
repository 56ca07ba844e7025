// The model specs of `ccnet compare` and the cells they become.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCell, parseModelSpec } from '../../../src/cli/compare';
import { parseCell } from '../../../src/language/parser';

test('a model spec names the network, the width and how it is derived', () => {
  assert.deepEqual(parseModelSpec('unet'), { text: 'unet', network: 'unet', alpha: '1' });
  assert.deepEqual(parseModelSpec(' squeezed-fcn@0.25 '), { text: 'squeezed-fcn@0.25', network: 'squeezed-fcn', alpha: '0.25' });
  assert.deepEqual(parseModelSpec('unet@1/8+l1=0.5'), { text: 'unet@1/8+l1=0.5', network: 'unet', alpha: '1/8', derive: { method: 'l1', value: '0.5' } });
  assert.deepEqual(parseModelSpec('cumedvision@1/4+qat=4').derive, { method: 'qat', value: '4' });
});

test('a bad model spec says what is wrong and what is allowed', () => {
  assert.throws(() => parseModelSpec('unett@1/8'), /unknown network 'unett'; networks: unet, fcn, cumedvision, squeezed-unet, squeezed-fcn, squeezed-cumedvision/);
  assert.throws(() => parseModelSpec('unet@half'), /width 'half' is not a number/);
  assert.throws(() => parseModelSpec('unet@1/8+prune=0.5'), /unknown method 'prune'; methods: l1=RATIO, magnitude=RATIO, q=BITS, qat=BITS/);
  assert.throws(() => parseModelSpec('unet@1/8+q=eight'), /'eight' is not a number/);
  assert.throws(() => parseModelSpec('unet 1/8'), /is not NETWORK\[@ALPHA\]\[\+METHOD=VALUE\]/);
});

test('compareCell trains each base once, derives the baselines from it and compares them all', () => {
  const { cell, names } = compareCell({ dataset: 'data', models: ['unet@1/8', 'unet@1/8+l1=0.5', 'unet@1/8+q=8', 'squeezed-unet@1/8', 'unet@1/4+magnitude=0.8', 'unet@1/8+qat=4'], epochs: '3', finetune: '2' });
  assert.deepEqual(cell.split('\n'), [
    'train unet on data alpha 1/8 epochs 3 as unet_a1_8',
    'prune unet_a1_8 method l1 ratio 0.5 finetune 2 as unet_a1_8_l1_0_5',
    'quantize unet_a1_8 bits 8 as unet_a1_8_q_8',
    'train squeezed-unet on data alpha 1/8 epochs 3 as squeezed_unet_a1_8',
    'train unet on data alpha 1/4 epochs 3 as unet_a1_4',
    'prune unet_a1_4 method magnitude ratio 0.8 finetune 2 as unet_a1_4_magnitude_0_8',
    'quantize unet_a1_8 bits 4 aware epochs 2 as unet_a1_8_qat_4',
    'compare unet_a1_8, unet_a1_8_l1_0_5, unet_a1_8_q_8, squeezed_unet_a1_8, unet_a1_4_magnitude_0_8, unet_a1_8_qat_4 on data',
  ]);
  assert.equal(names.length, 6);
  // the generated cell is valid cell language
  const parsed = parseCell(cell);
  assert.deepEqual(parsed.diagnostics, []);
  assert.equal(parsed.statements.length, 8);
});

test('a model listed twice is an error', () => {
  assert.throws(() => compareCell({ dataset: 'data', models: ['unet@1/8', 'unet@1/8'] }), /'unet@1\/8' is listed twice/);
});

// What completion offers where: the expectation at the cursor and the names a notebook defines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectationAt } from '../../../src/language/expect';
import { definedNames } from '../../../src/language/names';

function summary(linePrefix: string) {
  const { expectation, partial } = expectationAt(linePrefix);
  const what =
    expectation.kind === 'value'
      ? `value ${expectation.value.type}${expectation.value.nameKind ? ` ${expectation.value.nameKind}` : ''}${expectation.value.path ? ` path ${expectation.value.path.kind}` : ''}`
      : expectation.kind === 'literal'
        ? `literal ${expectation.literal}`
        : expectation.kind === 'clause'
          ? `clause after ${expectation.given.join(',') || '-'}`
          : expectation.kind;
  return partial ? `${what} | partial ${partial.text}` : what;
}

test('the start of a line expects a statement keyword', () => {
  assert.equal(summary(''), 'keyword');
  assert.equal(summary('  tr'), 'keyword | partial tr');
});

test('values are expected by kind: dataset, model and calibration names, networks, paths', () => {
  assert.equal(summary('train '), 'value network');
  assert.equal(summary('train un'), 'value network | partial un');
  assert.equal(summary('train unet '), 'literal on');
  assert.equal(summary('train unet on '), 'value name dataset');
  assert.equal(summary('train unet on he'), 'value name dataset | partial he');
  assert.equal(summary('complexity a, b, '), 'value name dataset');
  assert.equal(summary('prune '), 'value name model');
  assert.equal(summary('compare m1, m2, m'), 'value name model | partial m');
  assert.equal(summary('select unet for hela accuracy >= 0.9 using '), 'value name calibration');
  assert.equal(summary('dataset hela from '), 'value string path folder');
  assert.equal(summary('dataset hela from "../data/he'), 'value string path folder | partial "../data/he');
  assert.equal(summary('load calibration "cal'), 'value string path file | partial "cal');
  assert.equal(summary('export small to "out/'), 'value string path folder | partial "out/');
});

test('a list value being continued knows the values already given', () => {
  const { expectation } = expectationAt('compare m1, m2, ');
  assert.equal(expectation.kind, 'value');
  assert.deepEqual(expectation.kind === 'value' && expectation.given, ['m1', 'm2']);
  const head = expectationAt('train unet on ').expectation;
  assert.deepEqual(head.kind === 'value' && head.given, [], 'values of earlier parts are not the list');
});

test('after the head and after a complete clause, clause keywords are expected', () => {
  assert.equal(summary('train unet on hela '), 'clause after -');
  assert.equal(summary('train unet on hela alpha 1/8 epochs 3 '), 'clause after alpha,epochs');
  assert.equal(summary('train unet on hela ep'), 'clause after - | partial ep');
  assert.equal(summary('complexity a, b '), 'clause after -');
  assert.equal(summary('select unet for hela accuracy '), 'literal >=');
});

test('text the grammar cannot follow expects nothing', () => {
  assert.equal(summary('frobnicate '), 'none');
  assert.equal(summary('train unet in '), 'none');
  assert.equal(summary("dataset a from 'x' "), 'none');
  assert.equal(summary('train unet on hela bogus '), 'none');
});

test('definedNames reads the names cells define, in order, without duplicates', () => {
  const names = definedNames([
    'dataset hela from "../hela" size 128\nsynthetic easy complexity 0.2',
    'train unet on hela alpha 1/8 as small\ntrain unet on hela',
    'calibrate unet on hela, easy alphas 1, 1/2 as cal\nprune small method l1 ratio 0.5 as pruned\nload calibration "x.json" as mine',
    'dataset hela from "../hela2"\nthis line is broken',
  ]);
  assert.deepEqual(names, { dataset: ['hela', 'easy'], model: ['small', 'pruned'], calibration: ['cal', 'mine'] });
});

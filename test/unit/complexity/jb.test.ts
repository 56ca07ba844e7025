import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetComplexity } from '../../../src/engine/complexity/dataset-complexity';
import { combineJB, datasetJB, DEFAULT_JB_BETA, normalizeAcrossDatasets } from '../../../src/engine/complexity/jb';

function result(dataset: string, means: Record<string, number>): DatasetComplexity {
  return {
    dataset,
    root: `/data/${dataset}`,
    imageCount: 1,
    usedCount: 1,
    skipped: [],
    measures: Object.fromEntries(Object.entries(means).map(([id, mean]) => [id, { mean, std: 0, count: 1 }])),
    perImage: [],
    cachedCount: 0,
    workerCount: 0,
  };
}

test('JB = beta J + (1 - beta) B', () => {
  assert.equal(DEFAULT_JB_BETA, 0.5);
  assert.equal(combineJB(0.2, 0.6), 0.4);
  assert.ok(Math.abs(combineJB(0.2, 0.6, 0.25) - (0.05 + 0.45)) < 1e-15);
  assert.equal(combineJB(0.2, 0.6, 1), 0.2);
  assert.equal(combineJB(0.2, 0.6, 0), 0.6);
  assert.throws(() => combineJB(0.2, 0.6, 1.5), /beta 1.5 is outside \[0, 1\]/);
  // the paper's Table 1, Glands: J 0.2401, B 0.5711
  assert.ok(Math.abs(datasetJB(result('glands', { j: 0.2401, b: 0.5711 }), 0.5) - 0.4056) < 1e-12);
  assert.throws(() => datasetJB(result('x', { j: 0.1 })), /JB needs measures j and b.*add metrics j,b/);
});

test('min-max normalisation across datasets, as in the paper\'s Fig. 4', () => {
  const n = normalizeAcrossDatasets([
    result('hela', { j: 0.1403, b: 0.4607 }),
    result('u373', { j: 0.1473, b: 0.0699 }),
    result('glands', { j: 0.2401, b: 0.5711 }),
  ]);
  assert.equal(n.values['hela']!['j'], 0);
  assert.equal(n.values['glands']!['j'], 1);
  assert.ok(Math.abs(n.values['u373']!['j']! - (0.1473 - 0.1403) / (0.2401 - 0.1403)) < 1e-12);
  assert.equal(n.values['u373']!['b'], 0);
  assert.ok(Math.abs(n.values['hela']!['b']! - (0.4607 - 0.0699) / (0.5711 - 0.0699)) < 1e-12);
  assert.deepEqual(n.ranges['b'], { min: 0.0699, max: 0.5711 });
  assert.deepEqual(n.withoutSpread, []);
});

test('one dataset, or equal means, cannot be spread: 0.5 and listed', () => {
  const single = normalizeAcrossDatasets([result('only', { j: 0.3, b: 0.2 })]);
  assert.deepEqual(single.values, { only: { j: 0.5, b: 0.5 } });
  assert.deepEqual(single.withoutSpread, ['j', 'b']);
  const same = normalizeAcrossDatasets([result('a', { j: 0.3, b: 0.1 }), result('b', { j: 0.3, b: 0.2 })]);
  assert.deepEqual(same.withoutSpread, ['j']);
  assert.equal(same.values['b']!['b'], 1);
  assert.throws(() => normalizeAcrossDatasets([result('a', { j: 1 }), result('a', { j: 2 })]), /appears twice/);
  assert.throws(() => normalizeAcrossDatasets([result('a', { j: 1 }), result('b', { b: 2 })], ['j']), /dataset b has no measure j/);
});

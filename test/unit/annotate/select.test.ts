import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cosineSimilarity, suggestImages } from '../../../src/engine/annotate/select';
import { ensembleVariance, imageUncertainty } from '../../../src/engine/annotate/uncertainty';

test('ensemble variance and image uncertainty, by hand', () => {
  // pixel 0: all agree (0); pixel 1: 0 and 1 (variance 0.25); pixel 2: 0.2, 0.4 (mean 0.3, variance 0.01)
  const variance = ensembleVariance([
    [0.5, 0, 0.2],
    [0.5, 1, 0.4],
  ]);
  assert.deepEqual(Array.from(variance, (v) => Number(v.toFixed(6))), [0, 0.25, 0.01]);
  assert.equal(Number(imageUncertainty(variance).toFixed(6)), Number(((0 + 0.25 + 0.01) / 3).toFixed(6)));
  assert.throws(() => ensembleVariance([[0, 1], [0]]), /same size/);
});

test('cosine similarity, by hand', () => {
  assert.equal(cosineSimilarity([1, 0], [0, 1]), 0);
  assert.equal(Number(cosineSimilarity([1, 1], [1, 0]).toFixed(6)), Number((1 / Math.SQRT2).toFixed(6)));
  assert.equal(cosineSimilarity([0, 0], [1, 0]), 0);
});

test('suggestions: the most uncertain candidates, then greedy coverage of the whole pool', () => {
  // two kinds of image: A along x, B along y. Pool: 3 of A, 2 of B; the A images are the most uncertain.
  const descriptors = [
    [1, 0], // 0 A
    [1, 0.1], // 1 A
    [1, -0.1], // 2 A
    [0, 1], // 3 B
    [0.1, 1], // 4 B
  ];
  const uncertainty = [0.2, 0.19, 0.01, 0.18, 0.02];
  // K = 2: candidates are the 4 most uncertain (0, 1, 3 and then 4 at 0.02)
  const picks = suggestImages(uncertainty, descriptors, 2);
  assert.equal(picks.length, 2);
  // by hand: F({0}) = 1 + cos(0,1) + cos(0,2) + 0 + cos(0,4) = 1 + 0.995 + 0.995 + 0 + 0.0995 = 3.089;
  // F({1}) = 0.995 + 1 + 0.980 + 0.0995 + 0.1985 = 3.273 (the most central A); F({3}) = 0 + 0.0995 - 0.0995 + 1 + 0.995 = 1.995
  assert.equal(picks[0]!.index, 1);
  // then a B image covers the most: image 3 adds (1 - 0.0995) + (0.995 - 0.1985) = 1.697, image 4 adds about the same minus its lower
  // similarity to 3; image 0 would add only 0.005 + 0.015
  assert.ok([3, 4].includes(picks[1]!.index), JSON.stringify(picks));
  assert.ok(picks[0]!.coverageGain > picks[1]!.coverageGain);
  assert.deepEqual(picks.map((p) => p.rank), [1, 2]);

  // without representativeness (factor 1: the candidates are the K most uncertain) both picks are A images
  const uncertainOnly = suggestImages(uncertainty, descriptors, 2, 1);
  assert.deepEqual(uncertainOnly.map((p) => p.index).sort(), [0, 1]);
  // more suggestions than images: every image once
  assert.equal(new Set(suggestImages(uncertainty, descriptors, 9).map((p) => p.index)).size, 5);
});

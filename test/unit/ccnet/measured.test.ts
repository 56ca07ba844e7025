import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relativeMeasurement } from '../../../src/engine/ccnet/measured';

test('a base network that did not learn gives no relative accuracy (not NaN), with what to do', () => {
  const r = relativeMeasurement(0, 0);
  assert.equal(r.value, null);
  assert.equal(r.verdict, 'base did not learn');
  assert.match(r.explanation!, /base network reached F1 0\.000, below 0\.1: it did not learn this dataset/);
  assert.equal(relativeMeasurement(0.05, 0.04).verdict, 'base did not learn');
});

test('a narrower network clearly above its base reports an under-trained base', () => {
  // the held-out EM case of the issue: base 0.624, selected 0.658 -> 1.0545
  const r = relativeMeasurement(0.624, 0.658);
  assert.equal(r.verdict, 'base under-trained');
  assert.ok(Math.abs(r.value! - 0.658 / 0.624) < 1e-12);
  assert.equal(relativeMeasurement(0.8, 0.82).verdict, 'ok'); // 1.025: within seed noise
  const plain = relativeMeasurement(0.8, 0.72);
  assert.equal(plain.verdict, 'ok');
  assert.ok(Math.abs(plain.value! - 0.9) < 1e-12);
});

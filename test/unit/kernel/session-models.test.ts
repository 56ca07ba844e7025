import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../../src/kernel/session';
import type { TrainedModel } from '../../../src/kernel/models';

/** A stand-in for a tf.LayersModel that counts disposals and fails on a second, as TensorFlow.js does. */
function fakeModel() {
  const model = {
    disposed: 0,
    dispose() {
      if (model.disposed > 0) throw new Error("Container 'unet' is already disposed.");
      model.disposed++;
    },
  };
  return model;
}

const entry = (name: string, model: ReturnType<typeof fakeModel>) => ({ name, model }) as unknown as TrainedModel;

test('two names may share one model; replacing both disposes it once (a compress cell run again whose selection was the base)', () => {
  const session = new Session();
  const first = fakeModel();
  session.setModel(entry('x_base', first));
  session.setModel(entry('x', first));
  const second = fakeModel();
  session.setModel(entry('x_base', second)); // x still holds the first model: kept
  assert.equal(first.disposed, 0);
  session.setModel(entry('x', second)); // no name holds the first model any more
  assert.equal(first.disposed, 1);
  assert.equal(second.disposed, 0);
});

test('a replaced model held by no other name is disposed', () => {
  const session = new Session();
  const old = fakeModel();
  session.setModel(entry('m', old));
  session.setModel(entry('m', fakeModel()));
  assert.equal(old.disposed, 1);
});

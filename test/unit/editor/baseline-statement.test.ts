// "Prune or Quantize Model..." becomes the statement a user would type, with a fresh model name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineStatement } from '../../../src/commands/baseline-statement';

test('each baseline becomes its prune or quantize statement', () => {
  assert.deepEqual(baselineStatement({ model: 'small', method: 'l1', ratio: 0.5, finetune: 5 }, ['small']), { text: 'prune small method l1 ratio 0.5 finetune 5 as small_l150', name: 'small_l150' });
  assert.deepEqual(baselineStatement({ model: 'small', method: 'magnitude', ratio: 0.8, finetune: 0 }, []), { text: 'prune small method magnitude ratio 0.8 finetune 0 as small_mag80', name: 'small_mag80' });
  assert.deepEqual(baselineStatement({ model: 'small', method: 'quantize', bits: 8 }, []), { text: 'quantize small bits 8 as small_q8', name: 'small_q8' });
  assert.deepEqual(baselineStatement({ model: 'small', method: 'aware', bits: 4, epochs: 3 }, []), { text: 'quantize small bits 4 aware epochs 3 as small_qat4', name: 'small_qat4' });
});

test('a taken name gets a number, and a value the language refuses is refused with its message', () => {
  assert.equal(baselineStatement({ model: 'm', method: 'quantize', bits: 8 }, ['m_q8', 'm_q8_2']).name, 'm_q8_3');
  assert.throws(() => baselineStatement({ model: 'm', method: 'l1', ratio: 1, finetune: 5 }, []), /ratio must be at least 0 and below 1, not 1/);
  assert.throws(() => baselineStatement({ model: 'm', method: 'quantize', bits: 32 }, []), /bits must be a whole number from 2 to 16, not 32/);
  assert.throws(() => baselineStatement({ model: 'm', method: 'aware', bits: 8 }, []), /aware needs a value for epochs/);
});

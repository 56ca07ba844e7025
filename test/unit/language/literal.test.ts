// Literals written or read outside a cell follow the scanner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numberLiteral, quote } from '../../../src/language/literal';
import { scan } from '../../../src/language/scanner';

test('numberLiteral reads exactly one number as the scanner does', () => {
  assert.equal(numberLiteral('0.9'), 0.9);
  assert.equal(numberLiteral(' 1/8 '), 0.125);
  assert.equal(numberLiteral('.5'), 0.5);
  assert.equal(numberLiteral('-2'), -2);
  for (const text of ['', 'high', '1 2', '1/8x', '95%', '128x128']) assert.equal(numberLiteral(text), undefined, text);
});

test('quote escapes so the scanner reads the text back', () => {
  const text = 'C:\\data\\"hela"';
  const [token] = scan(quote(text));
  assert.equal(token!.kind, 'string');
  assert.equal(token!.value, text);
});

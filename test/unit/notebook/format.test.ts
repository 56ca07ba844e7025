import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  emptyNotebook,
  loadOutputItem,
  NotebookFormatError,
  parseNotebook,
  serializeNotebook,
  storeOutputItem,
} from '../../../src/protocol/notebook-format';

test('an empty file is an empty notebook', () => {
  assert.deepEqual(parseNotebook(''), emptyNotebook());
  assert.deepEqual(parseNotebook('  \n'), emptyNotebook());
});

test('serialising sorts keys at every level and ends with a newline', () => {
  const text = serializeNotebook({
    format: 'ccnet-notebook',
    formatVersion: 1,
    metadata: { z: 1, a: 2 },
    cells: [{ source: 'complexity a', language: 'ccnet', kind: 'code', outputs: [] }],
  });
  assert.equal(
    text,
    '{\n  "cells": [\n    {\n      "kind": "code",\n      "language": "ccnet",\n      "outputs": [],\n      "source": "complexity a"\n    }\n  ],\n' +
      '  "format": "ccnet-notebook",\n  "formatVersion": 1,\n  "metadata": {\n    "a": 2,\n    "z": 1\n  }\n}\n',
  );
});

test('parse then serialise is the identity on the sample notebook', () => {
  const text = readFileSync(join(import.meta.dirname, '../../../media/sample.ccnet'), 'utf8');
  assert.equal(serializeNotebook(parseNotebook(text)), text);
});

test('output items keep JSON as JSON, text as text and binary as base64', () => {
  const json = storeOutputItem('application/vnd.vegalite.v5+json', new TextEncoder().encode('{"mark":"bar"}'));
  assert.deepEqual(json, { mime: 'application/vnd.vegalite.v5+json', data: { mark: 'bar' } });
  const text = storeOutputItem('text/markdown', new TextEncoder().encode('| a |'));
  assert.deepEqual(text, { mime: 'text/markdown', data: '| a |' });
  const png = storeOutputItem('image/png', new Uint8Array([137, 80, 78, 71]));
  assert.deepEqual(png, { mime: 'image/png', data: 'iVBORw==', encoding: 'base64' });
  assert.deepEqual([...loadOutputItem(png)], [137, 80, 78, 71]);
  assert.equal(new TextDecoder().decode(loadOutputItem(json)), '{"mark":"bar"}');
  assert.equal(new TextDecoder().decode(loadOutputItem(text)), '| a |');
});

test('malformed files give errors naming the place', () => {
  const bad = (text: string, pattern: RegExp) =>
    assert.throws(() => parseNotebook(text, 'x.ccnet'), (e: unknown) => e instanceof NotebookFormatError && pattern.test(e.message));
  bad('{ not json', /x\.ccnet is not valid JSON .*restore it from version control/);
  bad('[]', /the top level must be an object/);
  bad('{"format":"jupyter"}', /"format" is "jupyter", expected "ccnet-notebook"/);
  bad('{"format":"ccnet-notebook","formatVersion":9,"cells":[]}', /format version 9, newer .* update the extension/);
  bad('{"format":"ccnet-notebook","formatVersion":1,"cells":{}}', /"cells" must be a list/);
  bad('{"format":"ccnet-notebook","formatVersion":1,"cells":[{"kind":"code"}]}', /cells\[0\]\.source must be a string/);
  bad('{"format":"ccnet-notebook","formatVersion":1,"cells":[{"kind":"raw","source":""}]}', /cells\[0\]\.kind is "raw"/);
  bad(
    '{"format":"ccnet-notebook","formatVersion":1,"cells":[{"kind":"code","source":"","outputs":[{"items":[{"mime":"image/png","data":1,"encoding":"base64"}]}]}]}',
    /cells\[0\]\.outputs\[0\]\.items\[0\]\.data must be a base64 string/,
  );
});

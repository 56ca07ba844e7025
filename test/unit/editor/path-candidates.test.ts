// Path completion inside strings: what a folder offers, relative to the notebook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathCandidates } from '../../../src/editor/path-candidates';
import { sharedDatasets } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

test('folders relative to the notebook, dataset folders first, files only where a file is wanted', async () => {
  const dir = await tempFolder();
  try {
    for (const folder of ['data/hela/images', 'data/hela/masks', 'data/notes', 'data/.hidden']) mkdirSync(join(dir.path, folder), { recursive: true });
    writeFileSync(join(dir.path, 'data', 'cal.json'), '{}');
    writeFileSync(join(dir.path, 'data', 'readme.txt'), '');
    const names = async (token: string, want: { kind: 'folder' | 'file'; extensions?: string[] }) => (await pathCandidates(token, dir.path, want)).candidates.map((c) => `${c.name}${c.folder ? '/' : ''}${c.dataset ? ' (dataset)' : ''}`);
    assert.deepEqual(await names('"data/', { kind: 'folder' }), ['hela/ (dataset)', 'notes/']);
    assert.deepEqual(await names('"data/', { kind: 'file', extensions: ['.json'] }), ['hela/ (dataset)', 'notes/', 'cal.json']);
    assert.deepEqual(await names('"data/n"', { kind: 'folder' }), ['notes/']);
    assert.deepEqual(await names('"data/.', { kind: 'folder' }), ['.hidden/']);
    assert.deepEqual(await names('"', { kind: 'folder' }), ['data/']);
    assert.equal((await pathCandidates('"data/he', dir.path, { kind: 'folder' })).replaceFrom, 6, 'the name after the last slash is replaced');
    assert.deepEqual(await names('"missing/', { kind: 'folder' }), [], 'a folder that does not exist offers nothing');
    assert.deepEqual(await names(`"${dir.path}/data/h`, { kind: 'folder' }), ['hela/ (dataset)'], 'absolute paths work');
  } finally {
    await dir.cleanup();
  }
});

test('the shared datasets are offered as dataset folders', async () => {
  const { candidates } = await pathCandidates(`"${sharedDatasets}/`, '/', { kind: 'folder' });
  const datasets = candidates.filter((c) => c.dataset).map((c) => c.name);
  for (const name of ['isbi2012-em', 'dic-c2dh-hela', 'drive-retina']) assert.ok(datasets.includes(name), name);
});

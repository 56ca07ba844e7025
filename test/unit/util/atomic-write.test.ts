import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../../src/engine/util/atomic-write';
import { tempFolder } from '../../helpers/tmp';

test('writeFileAtomically creates the folder, replaces the file whole and leaves no temporary file', async () => {
  const dir = await tempFolder();
  try {
    const path = join(dir.path, 'a/b/run.json');
    await writeFileAtomically(path, '{"runs":1}');
    await writeFileAtomically(path, '{"runs":2}');
    assert.equal(await readFile(path, 'utf8'), '{"runs":2}');
    assert.deepEqual(await readdir(join(dir.path, 'a/b')), ['run.json']);
    // a rename onto a folder fails: the old content stays, and the temporary file is removed
    await mkdir(join(dir.path, 'a/b/taken'));
    await assert.rejects(writeFileAtomically(join(dir.path, 'a/b/taken'), 'x'));
    assert.deepEqual((await readdir(join(dir.path, 'a/b'))).sort(), ['run.json', 'taken']);
  } finally {
    await dir.cleanup();
  }
});

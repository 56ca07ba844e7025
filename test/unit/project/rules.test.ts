// Project rules that a reviewer would otherwise have to remember.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { STATEMENT_KEYWORDS } from '../../../src/language';
import { grammarJson } from '../../../src/language/grammar';
import { HANDLED_KEYWORDS } from '../../../src/kernel/statements';
import { repoRoot } from '../../helpers/built';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('src/engine and src/language never import vscode', () => {
  for (const folder of ['src/engine', 'src/language', 'src/kernel', 'src/cli']) {
    for (const file of sourceFiles(join(repoRoot, folder))) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /from ['"]vscode['"]|require\(['"]vscode['"]\)/, `${file} imports vscode`);
    }
  }
});

test('src/language imports nothing from the engine, the kernel or TensorFlow', () => {
  for (const file of sourceFiles(join(repoRoot, 'src/language'))) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /from ['"](\.\.\/engine|\.\.\/kernel|@tensorflow)/, file);
  }
});

test('the extension and the renderer never import TensorFlow', () => {
  const files = [...sourceFiles(join(repoRoot, 'webview')), join(repoRoot, 'src/extension.ts'), ...sourceFiles(join(repoRoot, 'src/notebook')), ...sourceFiles(join(repoRoot, 'src/editor'))];
  for (const file of files) assert.doesNotMatch(readFileSync(file, 'utf8'), /@tensorflow/, file);
});

test('every statement of the language has a kernel handler, and every handler a statement', () => {
  assert.deepEqual([...HANDLED_KEYWORDS].sort(), [...STATEMENT_KEYWORDS].sort());
});

test('the TextMate grammar is generated from the current statements', () => {
  assert.equal(readFileSync(join(repoRoot, 'syntaxes/ccnet.tmLanguage.json'), 'utf8'), grammarJson(), 'run: npx tsx scripts/gen-grammar.ts');
  const grammar = JSON.parse(grammarJson()) as { repository: { values: { patterns: { match?: string }[] }; statement: { match: string } } };
  for (const pattern of grammar.repository.values.patterns) if (pattern.match) new RegExp(pattern.match);
  const statement = new RegExp(grammar.repository.statement.match);
  for (const keyword of STATEMENT_KEYWORDS) assert.match(`${keyword} x`, statement);
});

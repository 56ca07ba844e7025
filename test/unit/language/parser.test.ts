import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCell, parseCellForEditor, STATEMENT_KEYWORDS, type Value } from '../../../src/language';
import { SeededRandom } from '../../../src/engine/util/random';

const one = (text: string) => {
  const result = parseCell(text);
  assert.deepEqual(result.diagnostics, [], JSON.stringify(result.diagnostics));
  assert.equal(result.statements.length, 1);
  return result.statements[0]!;
};

test('dataset with every clause, in any order, with ranges', () => {
  const text = 'dataset hela from "data/hela" size 256 masks "m/*.png" patch 128 images "i/*.png"';
  const s = one(text);
  assert.equal(s.keyword, 'dataset');
  assert.equal((s.args.name as Value).value, 'hela');
  assert.equal((s.args.path as Value).value, 'data/hela');
  assert.deepEqual((s.args.path as Value).range, { start: 18, end: 29 });
  assert.equal((s.args.size as Value).value, 256);
  assert.equal((s.args.imagesGlob as Value).value, 'i/*.png');
  assert.equal((s.args.masksGlob as Value).value, 'm/*.png');
  assert.equal((s.args.patch as Value).value, 128);
  assert.deepEqual(s.range, { start: 0, end: text.length });
  const wrong = parseCell('dataset hela from "data/hela" patch 4');
  assert.match(wrong.diagnostics[0]!.message, /patch must be a whole number of pixels from 8 to 8192, not 4/);
});

test('strings keep escaped quotes and backslashes', () => {
  const s = one('dataset d from "a \\"b\\" c\\\\d"');
  assert.equal((s.args.path as Value).value, 'a "b" c\\d');
});

test('lists, comments, blank lines and several statements', () => {
  const result = parseCell('# start\n\nsynthetic a count 4  # four\nsynthetic b\ncomplexity a, b metrics all per image\n');
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.statements.map((s) => s.keyword), ['synthetic', 'synthetic', 'complexity']);
  const complexity = result.statements[2]!;
  assert.deepEqual((complexity.args.datasets as Value[]).map((v) => v.value), ['a', 'b']);
  assert.deepEqual((complexity.args.metrics as Value[]).map((v) => v.value), ['all']);
  assert.ok('per' in complexity.clauses);
});

test('fractions keep their text and their value', () => {
  const s = one('synthetic x complexity 1/8');
  assert.equal((s.args.complexity as Value).value, 0.125);
  assert.equal((s.args.complexity as Value).text, '1/8');
});

test('an unknown statement suggests the closest keyword at the exact token', () => {
  const text = 'synthetic a\ncomplexty a';
  const result = parseCell(text);
  assert.equal(result.statements.length, 1);
  assert.equal(result.diagnostics.length, 1);
  const d = result.diagnostics[0]!;
  assert.equal(d.message, "unknown statement 'complexty'; did you mean 'complexity'?");
  assert.deepEqual(d.range, { start: 12, end: 21 });
  assert.equal(d.code, 'unknown-statement');
});

test('nothing after the first error runs, but the editor sees every error', () => {
  const text = 'synthetic a\nbogus\nsynthetic b\ndataset c frm "x"';
  assert.deepEqual(parseCell(text).statements.map((s) => (s.args.name as Value).value), ['a']);
  const editor = parseCellForEditor(text);
  assert.deepEqual(editor.statements.map((s) => (s.args.name as Value).value), ['a', 'b']);
  assert.equal(editor.diagnostics.length, 2);
  assert.equal(editor.diagnostics[1]!.message, "expected 'from' in dataset, found 'frm'; did you mean 'from'?");
});

test('diagnostics say what was expected and what was found', () => {
  const cases: [string, string, { start: number; end: number }][] = [
    ['dataset d from data', 'expected the dataset folder in double quotes in dataset, found \'data\' (put it in double quotes: "data")', { start: 15, end: 19 }],
    ['dataset d from "x', 'unterminated string: add the closing "', { start: 15, end: 17 }],
    ['dataset d from "x" size', 'expected the working size in pixels after \'size\', found end of line', { start: 23, end: 23 }],
    ['dataset d from "x" colour red', "expected one of images, masks, size, patch, scale, or end of line, found 'colour'", { start: 19, end: 25 }],
    ['dataset d from "x" size 64 size 32', "'size' is given twice in this statement; keep one", { start: 27, end: 31 }],
    ['synthetic s complexity 2', 'complexity must be between 0 and 1, not 2', { start: 23, end: 24 }],
    ['synthetic s count 2.5', 'count must be a whole number above 0, not 2.5', { start: 18, end: 21 }],
    ['synthetic s count 10MB', "'10MB' is not a number; put a space between a number and a word (e.g. \"10 MB\")", { start: 18, end: 22 }],
    ["dataset d from 'x'", 'strings use double quotes: "..."', { start: 15, end: 16 }],
    ['Dataset d from "x"', "keywords are lowercase: write 'dataset'", { start: 0, end: 7 }],
    ['complexity a per images', "expected 'image' after 'per', found 'images'; did you mean 'image'?", { start: 17, end: 23 }],
    ['42 things', `a statement starts with a keyword (${STATEMENT_KEYWORDS.join(', ')}), found number 42`, { start: 0, end: 2 }],
    ['synthetic s complexity 1/0', '1/0 divides by zero', { start: 23, end: 26 }],
  ];
  for (const [text, message, range] of cases) {
    const d = parseCell(text).diagnostics;
    assert.equal(d.length, 1, `${text}: ${JSON.stringify(d)}`);
    assert.equal(d[0]!.message, message, text);
    assert.deepEqual(d[0]!.range, range, text);
  }
});

test('calibrate, select and compress parse with lists, constraints and units', () => {
  const calibrate = one('calibrate unet on em, hela alphas 1, 1/2, 1/4 epochs 10 base 1/8 seeds 1, 2 as cal');
  assert.deepEqual((calibrate.args.alphas as Value[]).map((v) => v.value), [1, 0.5, 0.25]);
  assert.deepEqual((calibrate.args.datasets as Value[]).map((v) => v.value), ['em', 'hela']);
  assert.equal((calibrate.args.base as Value).value, 0.125);
  const select = one('select unet for hela accuracy >= 0.95 of base using cal');
  assert.equal((select.args.accuracy as Value).value, 0.95);
  const disk = one('select fcn for hela disk <= 1.5 MB bits 8');
  assert.equal((disk.args.disk as Value).value, 1.5);
  assert.equal((disk.args.diskUnit as Value).value, 'MB');
  one('compress cumedvision for hela memory <= 200 MB batch 2 input 256x256 epochs 5 as small');
});

test('constraints: exactly one, units, percentages', () => {
  const message = (text: string) => parseCell(text).diagnostics[0]?.message;
  assert.equal(message('select unet for hela'), 'select needs one of: accuracy, disk, memory');
  assert.equal(message('select unet for hela accuracy >= 0.9 disk <= 1 MB'), 'give only one of accuracy and disk');
  assert.equal(message('select unet for hela accuracy >= 95'), 'accuracy 95 is above 1; give a fraction: did you mean 0.95?');
  assert.equal(message('select unet for hela disk <= 1 TB'), "'TB' is not allowed here; expected one of KB, MB, GB");
  assert.equal(message('select unet for hela accuracy > 0.9'), "unexpected character '>'");
  assert.equal(message('select unet2 for hela accuracy >= 0.9'), "unknown network 'unet2'; expected one of unet, fcn, cumedvision, squeezed-unet, squeezed-fcn, squeezed-cumedvision, dcnn, dccn; did you mean 'unet'?");
  assert.equal(message('calibrate unet on a, b epochs 3'), "calibrate needs 'alphas ALPHAS'");
});

test('the parser never throws, whatever the input', () => {
  const random = new SeededRandom(7);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 ,"\\/#\n\t.-_>=<x\'';
  const words = ['dataset', 'synthetic', 'complexity', 'from', 'size', 'count', 'metrics', 'all', 'per', 'image', '1/8', '"p"', ',', '>='];
  for (let n = 0; n < 3000; n++) {
    let text = '';
    const length = random.integer(0, 60);
    for (let i = 0; i < length; i++) {
      text += random.next() < 0.3 ? ` ${words[random.integer(0, words.length - 1)]} ` : alphabet[random.integer(0, alphabet.length - 1)];
    }
    const result = parseCellForEditor(text);
    for (const d of result.diagnostics) {
      assert.ok(d.range.start >= 0 && d.range.end <= text.length && d.range.start <= d.range.end, `${JSON.stringify(text)} ${JSON.stringify(d)}`);
    }
    parseCell(text);
  }
});

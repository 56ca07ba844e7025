/** The TextMate grammar of the cell language, generated from the statement descriptions. */
import { NETWORK_NAMES } from './networks';
import { isLiteral } from './spec';
import { STATEMENTS } from './statements';

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const alternatives = (words: Iterable<string>) => [...new Set(words)].sort((a, b) => b.length - a.length).map(escape).join('|');

export function grammarJson(): string {
  const statementKeywords = STATEMENTS.map((s) => s.keyword);
  const clauseWords = STATEMENTS.flatMap((s) => [
    ...s.head.filter(isLiteral).map((p) => p.literal),
    ...s.clauses.flatMap((c) => [c.keyword, ...c.parts.filter(isLiteral).map((p) => p.literal)]),
  ]).filter((w) => /^[a-z]/.test(w));
  const grammar = {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'CC-Net',
    scopeName: 'source.ccnet',
    patterns: [{ include: '#comment' }, { include: '#statement' }, { include: '#values' }],
    repository: {
      comment: { name: 'comment.line.number-sign.ccnet', match: '#.*$' },
      statement: {
        match: `^\\s*(${alternatives(statementKeywords)})(?![A-Za-z0-9_-])`,
        captures: { '1': { name: 'keyword.control.statement.ccnet' } },
      },
      values: {
        patterns: [
          { include: '#comment' },
          { name: 'string.quoted.double.ccnet', begin: '"', end: '"|$', patterns: [{ name: 'constant.character.escape.ccnet', match: '\\\\["\\\\]' }] },
          { name: 'constant.numeric.size.ccnet', match: '\\b\\d+x\\d+(?:x\\d+)?\\b' },
          { name: 'constant.numeric.ccnet', match: '-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?(?:/\\d+(?:\\.\\d+)?)?' },
          { name: 'keyword.operator.comparison.ccnet', match: '>=|<=' },
          { name: 'support.type.network.ccnet', match: `(?<![A-Za-z0-9_-])(?:${alternatives(NETWORK_NAMES)})(?![A-Za-z0-9_-])` },
          { name: 'keyword.other.clause.ccnet', match: `(?<![A-Za-z0-9_-])(?:${alternatives(clauseWords)})(?![A-Za-z0-9_-])` },
          { name: 'punctuation.separator.comma.ccnet', match: ',' },
          { name: 'variable.other.name.ccnet', match: '[A-Za-z_][A-Za-z0-9_-]*' },
        ],
      },
    },
  };
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

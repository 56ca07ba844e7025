/**
 * What the cell language expects at the cursor, for completion: a statement keyword, a clause
 * keyword, a fixed word, or a value of a known kind (a dataset, model or calibration name, a
 * network, a file path, a word from a list). It walks the statement descriptions in
 * statements.ts over the tokens of the line before the cursor, the same descriptions the
 * parser uses, so completion cannot offer what the parser would reject.
 */
import { scan, type Token } from './scanner';
import { isLiteral, type PartSpec, type StatementSpec, type ValueSpec } from './spec';
import { statementSpec } from './statements';

export type Expectation =
  | { kind: 'keyword' }
  | { kind: 'clause'; statement: StatementSpec; given: string[] }
  | { kind: 'literal'; statement: StatementSpec; literal: string }
  | { kind: 'value'; statement: StatementSpec; value: ValueSpec; given: string[] }
  | { kind: 'none' };

export interface CursorContext {
  expectation: Expectation;
  /** The token being typed at the cursor (replaced by a completion), if any. */
  partial?: { text: string; start: number; kind: Token['kind'] };
}

/**
 * The expectation at the end of `linePrefix` (a line's text up to the cursor). A word, number
 * or string that touches the cursor is the partial token being typed; an unterminated string
 * (a path being typed) is partial too.
 */
export function expectationAt(linePrefix: string): CursorContext {
  const tokens = scan(linePrefix).filter((t) => t.kind !== 'eof' && t.kind !== 'newline');
  let partial: CursorContext['partial'];
  const last = tokens.at(-1);
  if (last && last.end === linePrefix.length && (last.kind === 'word' || last.kind === 'number' || last.kind === 'string' || last.kind === 'size')) {
    tokens.pop();
    partial = { text: last.text, start: last.start, kind: last.kind };
  } else if (last?.kind === 'invalid' && last.text.startsWith('"') && last.end === linePrefix.length) {
    // an unterminated string: a path being typed (the editor usually adds the closing quote after the cursor)
    tokens.pop();
    partial = { text: last.text, start: last.start, kind: 'string' };
  }
  if (tokens.some((t) => t.kind === 'invalid')) return { expectation: { kind: 'none' }, partial };
  return { expectation: walk(tokens), partial };
}

function walk(tokens: Token[]): Expectation {
  if (tokens.length === 0) return { kind: 'keyword' };
  const first = tokens[0]!;
  const statement = first.kind === 'word' ? statementSpec(first.text) : undefined;
  if (!statement) return { kind: 'none' };
  let position = 1;
  /** Consumes one part; returns the expectation when the tokens end inside or before it. */
  const part = (spec: PartSpec): Expectation | 'mismatch' | undefined => {
    if (position >= tokens.length) return isLiteral(spec) ? { kind: 'literal', statement, literal: spec.literal } : { kind: 'value', statement, value: spec, given: [] };
    if (isLiteral(spec)) {
      if (tokens[position]!.text !== spec.literal) return 'mismatch';
      position++;
      return undefined;
    }
    // the values of a list given so far (completion leaves them out)
    const given: string[] = [];
    for (;;) {
      given.push(tokens[position]!.text);
      position++;
      if (!spec.list || tokens[position]?.kind !== 'comma') return undefined;
      position++;
      if (position >= tokens.length) return { kind: 'value', statement, value: spec, given };
    }
  };
  for (const spec of statement.head) {
    const result = part(spec);
    if (result === 'mismatch') return { kind: 'none' };
    if (result) return result;
  }
  const clauses: string[] = [];
  while (position < tokens.length) {
    const token = tokens[position]!;
    const clause = statement.clauses.find((c) => c.keyword === token.text);
    if (!clause) return { kind: 'none' };
    clauses.push(clause.keyword);
    position++;
    for (const spec of clause.parts) {
      const result = part(spec);
      if (result === 'mismatch') return { kind: 'none' };
      if (result) return result;
    }
  }
  return { kind: 'clause', statement, given: clauses };
}

/**
 * The parser: statements from tokens, driven by the statement descriptions in statements.ts.
 * It never throws; every problem is a diagnostic at the exact token, saying what was expected
 * and what was found.
 */
import type { Diagnostic, ParseResult, Range, Statement, Value } from './ast';
import { NETWORK_NAMES } from './networks';
import { scan, type Token } from './scanner';
import { isLiteral, type ClauseSpec, type PartSpec, type StatementSpec, type ValueSpec } from './spec';
import { STATEMENT_KEYWORDS, statementSpec } from './statements';
import { didYouMean } from './suggest';

/** For running: the statements before the first error, and that error. */
export function parseCell(text: string): ParseResult {
  const all = parseCellForEditor(text);
  const firstError = all.diagnostics.find((d) => d.severity === 'error');
  if (!firstError) return all;
  return {
    statements: all.statements.filter((s) => s.range.end <= firstError.range.start && !containsOffset(s.range, firstError.range.start)),
    diagnostics: all.diagnostics.filter((d) => d.range.start <= firstError.range.start),
  };
}

/** For the editor: every line parsed, every diagnostic reported. */
export function parseCellForEditor(text: string): ParseResult {
  const tokens = scan(text);
  const statements: Statement[] = [];
  const diagnostics: Diagnostic[] = [];
  let lineStart = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'newline' || token.kind === 'eof') {
      const line = tokens.slice(lineStart, i);
      if (line.length > 0) {
        const result = parseLine(line, token);
        if (result.statement) statements.push(result.statement);
        diagnostics.push(...result.diagnostics);
      }
      lineStart = i + 1;
    }
  }
  return { statements, diagnostics };
}

function containsOffset(range: Range, offset: number): boolean {
  return offset >= range.start && offset < range.end;
}

class LineError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

class LineParser {
  private position = 0;
  readonly warnings: Diagnostic[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly lineEnd: Token,
  ) {}

  peek(): Token {
    return this.tokens[this.position] ?? this.lineEnd;
  }

  atEnd(): boolean {
    return this.position >= this.tokens.length;
  }

  next(): Token {
    const token = this.peek();
    if (!this.atEnd()) this.position++;
    return token;
  }

  fail(token: Token, message: string, code: string): never {
    const range = token.kind === 'newline' || token.kind === 'eof' ? { start: token.start, end: token.start } : { start: token.start, end: token.end };
    throw new LineError({ severity: 'error', message, range, code });
  }

  failInvalid(token: Token): never {
    this.fail(token, token.problem ?? `unexpected '${token.text}'`, 'invalid-token');
  }
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'newline':
    case 'eof':
      return 'end of line';
    case 'string':
      return `string ${token.text}`;
    case 'number':
      return `number ${token.text}`;
    case 'size':
      return `size ${token.text}`;
    case 'comma':
      return "','";
    default:
      return `'${token.text}'`;
  }
}

function parseLine(tokens: Token[], lineEnd: Token): { statement?: Statement; diagnostics: Diagnostic[] } {
  const parser = new LineParser(tokens, lineEnd);
  try {
    const statement = parseStatement(parser);
    return { statement, diagnostics: parser.warnings };
  } catch (error) {
    if (error instanceof LineError) return { diagnostics: [...parser.warnings, error.diagnostic] };
    throw error;
  }
}

function parseStatement(parser: LineParser): Statement {
  const first = parser.next();
  if (first.kind === 'invalid') parser.failInvalid(first);
  if (first.kind !== 'word') {
    parser.fail(first, `a statement starts with a keyword (${STATEMENT_KEYWORDS.join(', ')}), found ${describeToken(first)}`, 'expected-keyword');
  }
  const spec = statementSpec(first.text);
  if (!spec) {
    const lower = statementSpec(first.text.toLowerCase());
    if (lower) parser.fail(first, `keywords are lowercase: write '${lower.keyword}'`, 'unknown-statement');
    parser.fail(first, `unknown statement '${first.text}'${didYouMean(first.text, STATEMENT_KEYWORDS)}`, 'unknown-statement');
  }
  const statement: Statement = {
    keyword: spec.keyword,
    range: { start: first.start, end: first.end },
    keywordRange: { start: first.start, end: first.end },
    args: {},
    clauses: {},
  };
  for (const part of spec.head) parsePart(parser, part, statement, spec);
  while (!parser.atEnd()) {
    const token = parser.next();
    if (token.kind === 'invalid') parser.failInvalid(token);
    const clause = token.kind === 'word' ? spec.clauses.find((c) => c.keyword === token.text) : undefined;
    if (!clause) {
      const remaining = spec.clauses.filter((c) => !(c.keyword in statement.clauses)).map((c) => c.keyword);
      const expected = remaining.length ? `one of ${remaining.join(', ')}, or end of line` : 'end of line';
      const hint = token.kind === 'word' ? didYouMean(token.text, remaining) : '';
      parser.fail(token, `expected ${expected}, found ${describeToken(token)}${hint}`, 'expected');
    }
    if (clause.keyword in statement.clauses) {
      parser.fail(token, `'${clause.keyword}' is given twice in this statement; keep one`, 'duplicate-clause');
    }
    statement.clauses[clause.keyword] = { start: token.start, end: token.end };
    for (const part of clause.parts) parsePart(parser, part, statement, spec, clause);
  }
  statement.range.end = Math.max(statement.range.end, lastEnd(statement));
  checkRequired(parser, spec, statement);
  return statement;
}

function lastEnd(statement: Statement): number {
  let end = statement.keywordRange.end;
  for (const value of Object.values(statement.args)) {
    for (const v of Array.isArray(value) ? value : [value]) end = Math.max(end, v.range.end);
  }
  for (const range of Object.values(statement.clauses)) end = Math.max(end, range.end);
  return end;
}

function checkRequired(parser: LineParser, spec: StatementSpec, statement: Statement): void {
  const endToken = { kind: 'eof' as const, text: '', start: statement.range.end, end: statement.range.end };
  for (const clause of spec.clauses) {
    if (clause.required && !(clause.keyword in statement.clauses)) {
      parser.fail(endToken, `${spec.keyword} needs '${clauseSynopsis(clause)}'`, 'missing-clause');
    }
  }
  for (const group of spec.exactlyOneOf ?? []) {
    const given = group.filter((k) => k in statement.clauses);
    if (given.length === 0) parser.fail(endToken, `${spec.keyword} needs one of: ${group.join(', ')}`, 'missing-clause');
    if (given.length > 1) {
      const second = statement.clauses[given[1]!]!;
      parser.fail({ kind: 'word', text: given[1]!, start: second.start, end: second.end }, `give only one of ${given.join(' and ')}`, 'conflicting-clauses');
    }
  }
}

export function clauseSynopsis(clause: ClauseSpec): string {
  return [clause.keyword, ...clause.parts.map((p) => (isLiteral(p) ? p.literal : p.key.toUpperCase()))].join(' ');
}

function parsePart(parser: LineParser, part: PartSpec, statement: Statement, spec: StatementSpec, clause?: ClauseSpec): void {
  const context = clause ? `after '${clause.keyword}'` : `in ${spec.keyword}`;
  if (isLiteral(part)) {
    const token = parser.next();
    if (token.kind === 'invalid') parser.failInvalid(token);
    if (token.text !== part.literal) {
      const hint = token.kind === 'word' ? didYouMean(token.text, [part.literal]) : '';
      parser.fail(token, `expected '${part.literal}' ${context}, found ${describeToken(token)}${hint}`, 'expected');
    }
    statement.range.end = token.end;
    return;
  }
  const values: Value[] = [parseValue(parser, part, context)];
  if (part.list) {
    while (parser.peek().kind === 'comma') {
      parser.next();
      values.push(parseValue(parser, part, context));
    }
  }
  statement.args[part.key] = part.list ? values : values[0]!;
  statement.range.end = values[values.length - 1]!.range.end;
}

function parseValue(parser: LineParser, part: ValueSpec, context: string): Value {
  const token = parser.next();
  if (token.kind === 'invalid') parser.failInvalid(token);
  const found = describeToken(token);
  const range = { start: token.start, end: token.end };
  switch (part.type) {
    case 'name':
    case 'word': {
      if (token.kind !== 'word') parser.fail(token, `expected ${part.describe} ${context}, found ${found}`, 'expected');
      if (part.choices && !part.choices.includes(token.text)) {
        parser.fail(token, `'${token.text}' is not allowed here; expected one of ${part.choices.join(', ')}${didYouMean(token.text, part.choices)}`, 'unknown-choice');
      }
      return { value: token.text, text: token.text, range };
    }
    case 'network': {
      if (token.kind !== 'word' || !(NETWORK_NAMES as readonly string[]).includes(token.text)) {
        const hint = token.kind === 'word' ? didYouMean(token.text, NETWORK_NAMES) : '';
        const what = token.kind === 'word' ? `unknown network '${token.text}'` : `expected a network, found ${found}`;
        parser.fail(token, `${what}; expected one of ${NETWORK_NAMES.join(', ')}${hint}`, 'unknown-network');
      }
      return { value: token.text, text: token.text, range };
    }
    case 'string': {
      if (token.kind !== 'string') {
        const hint = token.kind === 'word' ? ` (put it in double quotes: "${token.text}")` : '';
        parser.fail(token, `expected ${part.describe} ${context}, found ${found}${hint}`, 'expected');
      }
      return { value: token.value as string, text: token.text, range };
    }
    case 'number': {
      if (token.kind !== 'number') parser.fail(token, `expected ${part.describe} ${context}, found ${found}`, 'expected');
      const value = token.value as number;
      const problem = part.check?.(value);
      if (problem) parser.fail(token, problem, 'value-range');
      return { value, text: token.text, range };
    }
    case 'size': {
      if (token.kind !== 'size') parser.fail(token, `expected ${part.describe} like 128x128 or 128x128x3 ${context}, found ${found}`, 'expected');
      return { value: token.value as number[], text: token.text, range };
    }
  }
}

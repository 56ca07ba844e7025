/**
 * The scanner of the cell language: turns a cell's text into tokens with offsets.
 * Tokens: words (keywords, names, networks: letters, digits, `_`, `-`), numbers (integers,
 * decimals, fractions like `1/8`), sizes (`128x128`, `128x128x3`), strings in double quotes
 * with `\"` and `\\` escapes, `,`, `>=`, `<=`, line ends. `#` starts a comment to the line end.
 */

export type TokenKind = 'word' | 'number' | 'size' | 'string' | 'comma' | 'operator' | 'newline' | 'eof' | 'invalid';

export interface Token {
  kind: TokenKind;
  /** The exact source text. */
  text: string;
  start: number;
  end: number;
  /** Numbers: the value (a fraction's quotient). Strings: the unescaped text. Sizes: [h, w, c?]. */
  value?: number | string | number[];
  /** For invalid tokens: what is wrong. */
  problem?: string;
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_-]/;
const DIGIT = /[0-9]/;

export function scan(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (token: Token) => tokens.push(token);
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      push({ kind: 'newline', text: '\n', start: i, end: i + 1 });
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (WORD_START.test(ch)) {
      const start = i;
      while (i < text.length && WORD_PART.test(text[i]!)) i++;
      push({ kind: 'word', text: text.slice(start, i), start, end: i });
    } else if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(text[i + 1] ?? '')) || (ch === '-' && /[0-9.]/.test(text[i + 1] ?? ''))) {
      push(scanNumberOrSize(text, i));
      i = tokens[tokens.length - 1]!.end;
    } else if (ch === '"') {
      push(scanString(text, i));
      i = tokens[tokens.length - 1]!.end;
    } else if (ch === ',') {
      push({ kind: 'comma', text: ',', start: i, end: i + 1 });
      i++;
    } else if ((ch === '>' || ch === '<') && text[i + 1] === '=') {
      push({ kind: 'operator', text: text.slice(i, i + 2), start: i, end: i + 2 });
      i += 2;
    } else {
      const start = i;
      i++;
      const problem = ch === "'" ? 'strings use double quotes: "..."' : `unexpected character '${ch}'`;
      push({ kind: 'invalid', text: ch, start, end: i, problem });
    }
  }
  push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}

function scanNumberOrSize(text: string, start: number): Token {
  const match = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(start));
  if (!match) return { kind: 'invalid', text: text[start]!, start, end: start + 1, problem: `unexpected character '${text[start]}'` };
  let end = start + match[0].length;
  const first = match[0];
  // size: 128x128 or 128x128x3
  const size = /^(\d+)x(\d+)(?:x(\d+))?(?![A-Za-z0-9_])/.exec(text.slice(start));
  if (size) {
    const parts = [size[1], size[2], size[3]].filter((p): p is string => p !== undefined).map(Number);
    return { kind: 'size', text: size[0], start, end: start + size[0].length, value: parts };
  }
  // fraction: 1/8
  const fraction = /^\/(\d+(?:\.\d+)?)/.exec(text.slice(end));
  if (fraction) {
    const denominator = Number(fraction[1]);
    end += fraction[0].length;
    const tokenText = text.slice(start, end);
    if (denominator === 0) return { kind: 'invalid', text: tokenText, start, end, problem: `${tokenText} divides by zero` };
    return { kind: 'number', text: tokenText, start, end, value: Number(first) / denominator };
  }
  // a number glued to letters (e.g. 10MB or 3epochs) is not a number
  const glued = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(end));
  if (glued) {
    const tokenText = text.slice(start, end + glued[0].length);
    return { kind: 'invalid', text: tokenText, start, end: end + glued[0].length, problem: `'${tokenText}' is not a number; put a space between a number and a word (e.g. "${first} ${glued[0]}")` };
  }
  return { kind: 'number', text: first, start, end, value: Number(first) };
}

function scanString(text: string, start: number): Token {
  let i = start + 1;
  let value = '';
  while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
    if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[i + 1];
      i += 2;
    } else {
      value += text[i];
      i++;
    }
  }
  if (text[i] !== '"') {
    return { kind: 'invalid', text: text.slice(start, i), start, end: i, problem: 'unterminated string: add the closing "' };
  }
  return { kind: 'string', text: text.slice(start, i + 1), start, end: i + 1, value };
}

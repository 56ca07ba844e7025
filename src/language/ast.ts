/** What the parser produces: statements with every value's source range, and diagnostics. */

export interface Range {
  /** Offset of the first character in the cell text. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export interface Value {
  /** number for numbers, string for names/strings/words, number[] for sizes ([h, w] or [h, w, c]). */
  value: number | string | number[];
  /** The exact source text (e.g. "1/8" for 0.125). */
  text: string;
  range: Range;
}

export interface Statement {
  keyword: string;
  range: Range;
  keywordRange: Range;
  /** Values by key; list values are arrays. */
  args: Record<string, Value | Value[]>;
  /** The clauses given, by keyword, with the range of the clause keyword. */
  clauses: Record<string, Range>;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  range: Range;
  /** A stable code, e.g. 'unknown-statement', 'expected', 'value-range'. */
  code: string;
}

export interface ParseResult {
  statements: Statement[];
  diagnostics: Diagnostic[];
}

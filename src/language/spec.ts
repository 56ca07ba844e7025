/**
 * How statements are described: a keyword, a fixed head, then optional clauses in any order
 * (each at most once). The parser, diagnostics, completion, hover and `ccnet --help` all read
 * these descriptions, so a new statement is one entry in `statements.ts`.
 */

export type ValueType = 'name' | 'string' | 'number' | 'size' | 'network' | 'word';

/** A value in a statement, stored under `key` in the parsed statement's `args`. */
export interface ValueSpec {
  key: string;
  type: ValueType;
  /** Comma-separated list of values. */
  list?: boolean;
  /** For 'word': the allowed words. */
  choices?: readonly string[];
  /** What the value is, for "expected ..." messages and completion, e.g. "a dataset name". */
  describe: string;
  /** For names: which kind of thing the name refers to or defines. */
  nameKind?: 'dataset' | 'model' | 'calibration';
  /** For strings that are paths: a folder or a file (with these extensions), for completion. */
  path?: { kind: 'folder' | 'file'; extensions?: readonly string[] };
  /** True when this name is defined by the statement (rather than used). */
  defines?: boolean;
  /** Returns a problem with the value (e.g. out of range) or undefined. */
  check?: (value: number) => string | undefined;
}

/** A fixed word or operator that must appear, e.g. `from` or `>=`. */
export interface LiteralSpec {
  literal: string;
}

export type PartSpec = ValueSpec | LiteralSpec;

export interface ClauseSpec {
  keyword: string;
  parts: PartSpec[];
  /** The statement is invalid without this clause. */
  required?: boolean;
  doc: string;
}

export interface StatementSpec {
  keyword: string;
  /** The grammar line shown in hover, completion and help. */
  synopsis: string;
  /** One paragraph: what it does and what it shows. */
  description: string;
  head: PartSpec[];
  clauses: ClauseSpec[];
  /** Groups of clause keywords of which exactly one must be given. */
  exactlyOneOf?: string[][];
}

export function isLiteral(part: PartSpec): part is LiteralSpec {
  return (part as LiteralSpec).literal !== undefined;
}

/** The cell language of `.ccnet` notebooks: pure TypeScript used by the kernel and the editor. */
export type { Diagnostic, ParseResult, Range, Statement, Value } from './ast';
export { parseCell, parseCellForEditor } from './parser';
export { STATEMENTS, STATEMENT_KEYWORDS, statementSpec } from './statements';
export { NETWORK_NAMES } from './networks';

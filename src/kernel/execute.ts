/**
 * Runs one cell: parse, then run its statements in order against the session. Statements
 * before a syntax error run; the error is reported at its token and nothing after it runs.
 */
import { parseCell } from '../language';
import type { ExecutionContext } from './context';
import type { CellError, ExecuteResult } from '../protocol/protocol';
import { runStatement } from './statements';
import { isUserError } from './user-errors';

export async function executeCell(source: string, context: ExecutionContext): Promise<ExecuteResult> {
  const parsed = parseCell(source);
  let statementsRun = 0;
  for (const statement of parsed.statements) {
    if (context.signal.aborted) return cancelled(statementsRun);
    try {
      await runStatement(statement, { ...context, statementText: source.slice(statement.range.start, statement.range.end) });
      statementsRun++;
    } catch (error) {
      if (context.signal.aborted) return cancelled(statementsRun);
      return { success: false, cancelled: false, statementsRun, error: toCellError(error, statement.range) };
    }
  }
  const syntaxError = parsed.diagnostics.find((d) => d.severity === 'error');
  if (syntaxError) {
    return {
      success: false,
      cancelled: false,
      statementsRun,
      error: { name: 'SyntaxError', message: syntaxError.message, range: { start: syntaxError.range.start, end: syntaxError.range.end } },
    };
  }
  return { success: true, cancelled: false, statementsRun };
}

function cancelled(statementsRun: number): ExecuteResult {
  return { success: false, cancelled: true, statementsRun, error: { name: 'Cancelled', message: 'interrupted' } };
}

/** User mistakes get their message only; anything unexpected keeps its stack for a bug report. */
export function toCellError(error: unknown, range: { start: number; end: number }): CellError {
  if (error instanceof Error) {
    const cellError: CellError = { name: error.name, message: firstLine(error.message), range: { start: range.start, end: range.end } };
    if (!isUserError(error)) cellError.stack = error.stack;
    return cellError;
  }
  return { name: 'Error', message: String(error), range: { start: range.start, end: range.end } };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

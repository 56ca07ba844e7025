/** Typed access to a parsed statement's values (the parser has already checked their types). */
import type { Statement, Value } from '../../language';

function single(statement: Statement, key: string): Value | undefined {
  const value = statement.args[key];
  return Array.isArray(value) ? value[0] : value;
}

export function stringArg(statement: Statement, key: string): string {
  const value = single(statement, key);
  if (value === undefined || typeof value.value !== 'string') throw new Error(`internal: ${statement.keyword} has no ${key}`);
  return value.value;
}

export function optionalString(statement: Statement, key: string): string | undefined {
  const value = single(statement, key);
  return value === undefined ? undefined : String(value.value);
}

export function optionalNumber(statement: Statement, key: string): number | undefined {
  const value = single(statement, key);
  return value === undefined ? undefined : Number(value.value);
}

export function stringList(statement: Statement, key: string): string[] | undefined {
  const value = statement.args[key];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map((v) => String(v.value));
}

export function hasClause(statement: Statement, keyword: string): boolean {
  return keyword in statement.clauses;
}

export function optionalSize(statement: Statement, key: string): number[] | undefined {
  const value = single(statement, key);
  return value === undefined ? undefined : (value.value as number[]);
}

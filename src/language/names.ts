/**
 * The dataset, model and calibration names a notebook's cells define (`dataset NAME`,
 * `synthetic NAME`, `... as NAME`), read from the text alone, so completion can offer them
 * before any cell has run. Names the kernel made up itself (a `train` without `as`) come from
 * the kernel's summary instead.
 */
import { parseCellForEditor } from './parser';
import { isLiteral, type ValueSpec } from './spec';
import { statementSpec } from './statements';

export type NameKind = NonNullable<ValueSpec['nameKind']>;
export type NamesByKind = Record<NameKind, string[]>;

export function definedNames(cellTexts: readonly string[]): NamesByKind {
  const found: Record<NameKind, Set<string>> = { dataset: new Set(), model: new Set(), calibration: new Set() };
  for (const text of cellTexts) {
    for (const statement of parseCellForEditor(text).statements) {
      const spec = statementSpec(statement.keyword);
      if (!spec) continue;
      const parts = [...spec.head, ...spec.clauses.filter((c) => c.keyword in statement.clauses).flatMap((c) => c.parts)];
      for (const part of parts) {
        if (isLiteral(part) || !part.defines || !part.nameKind) continue;
        const value = statement.args[part.key];
        for (const v of Array.isArray(value) ? value : value ? [value] : []) if (typeof v.value === 'string') found[part.nameKind].add(v.value);
      }
    }
  }
  return { dataset: [...found.dataset], model: [...found.model], calibration: [...found.calibration] };
}

/** Cell text from command-line options: the pieces the commands that run statements share. */
import { basename, resolve } from 'node:path';

/** ' clause value' when the option was given. */
export function clause(keyword: string, value: string | undefined): string {
  return value === undefined ? '' : ` ${keyword} ${value}`;
}

/** The --size, --patch and --scale options of every command that defines a dataset from a folder. */
export const DATASET_OPTIONS = { size: { type: 'string' }, patch: { type: 'string' }, scale: { type: 'string' } } as const;

/** The `size`, `patch` and `scale` clauses of a dataset statement from the --size, --patch and --scale options. */
export function datasetClauses(values: { size?: string; patch?: string; scale?: string }): string {
  return `${clause('size', values.size)}${clause('patch', values.patch)}${clause('scale', values.scale)}`;
}

/**
 * A cell-language name for a dataset folder: its own name, made an identifier. Datasets, models
 * and calibrations have separate names in a session, so only other datasets in `taken` can clash.
 */
export function datasetName(folder: string, taken = new Set<string>()): string {
  let name = basename(resolve(folder)).replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z_]/, 'd$&');
  while (taken.has(name)) name += '_';
  taken.add(name);
  return name;
}


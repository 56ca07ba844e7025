/** What the end-to-end test expects of a .ccnet notebook file, read from the file itself. */
import { readFileSync } from 'node:fs';
import { definedNames, type NamesByKind } from '../../src/language/names';

interface StoredCell {
  kind: 'code' | 'markdown';
  source: string;
}

export interface SampleNotebookFacts {
  cellCount: number;
  codeCellCount: number;
  /** Index (among all cells) of the first code cell, if there is one. */
  firstCodeCellIndex?: number;
  /** Statements that make a segmentation overlay (train, evaluate, compress, overlay), as written. */
  overlayStatements: string[];
  /** The dataset, model and calibration names its code cells define. */
  names: NamesByKind;
  /** The dataset of the first `train ... on DATASET ... as MODEL` with its model, if any. */
  trained?: { dataset: string; model: string };
}

/** Statement keywords whose outputs include an `application/vnd.ccnet.overlay+json` item. */
export const overlayKeywords = ['train', 'evaluate', 'compress', 'overlay'];

export function readSampleNotebook(path: string): SampleNotebookFacts {
  let cells: StoredCell[];
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { cells?: StoredCell[] };
    if (!Array.isArray(parsed.cells)) throw new Error('no "cells" array');
    cells = parsed.cells;
  } catch (error) {
    throw new Error(`${path} is not a readable .ccnet notebook: ${error instanceof Error ? error.message : String(error)}`);
  }
  const codeCells = cells.filter((cell) => cell.kind === 'code');
  const statements = codeCells.flatMap((cell) =>
    cell.source
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith('#')),
  );
  const firstCode = cells.findIndex((cell) => cell.kind === 'code');
  const startsWithOneOf = (keywords: string[]) => (line: string) => keywords.includes(line.split(/\s+/, 1)[0]!.toLowerCase());
  return {
    cellCount: cells.length,
    codeCellCount: codeCells.length,
    firstCodeCellIndex: firstCode >= 0 ? firstCode : undefined,
    overlayStatements: statements.filter(startsWithOneOf(overlayKeywords)),
    names: definedNames(codeCells.map((cell) => cell.source)),
    trained: statements.map((line) => /^train \S+ on (\w+)\b.* as (\w+)/.exec(line)).filter((m) => m !== null).map((m) => ({ dataset: m[1]!, model: m[2]! }))[0],
  };
}

/**
 * The `.ccnet` notebook file format, shared by the VS Code serializer and the CLI.
 *
 * A versioned JSON document, pretty-printed with two spaces and keys in sorted order at every
 * level, so that files diff well and saving twice gives the same bytes:
 *
 * {
 *   "cells": [
 *     { "execution": { "durationMs": 12, "endedAt": "...", "order": 1, "success": true },
 *       "kind": "code", "language": "ccnet", "metadata": {},
 *       "outputs": [ { "items": [ { "data": ..., "mime": "text/markdown" } ], "metadata": {} } ],
 *       "source": "complexity hela" }
 *   ],
 *   "format": "ccnet-notebook", "formatVersion": 1, "metadata": {}
 * }
 *
 * Output data is stored by mime type: JSON mimes (`application/json`, `*+json`) as JSON values,
 * text mimes as strings, anything else (PNG) as base64 with `"encoding": "base64"`.
 */

export const NOTEBOOK_FORMAT = 'ccnet-notebook';
export const NOTEBOOK_FORMAT_VERSION = 1;

export type CellKind = 'code' | 'markdown';

export interface StoredOutputItem {
  mime: string;
  /** A JSON value for JSON mimes, a string for text mimes, base64 for binary ones. */
  data: unknown;
  encoding?: 'base64';
}

export interface StoredOutput {
  items: StoredOutputItem[];
  metadata?: Record<string, unknown>;
}

export interface ExecutionSummary {
  order?: number;
  success?: boolean;
  /** ISO 8601 time the run ended. */
  endedAt?: string;
  durationMs?: number;
}

export interface StoredCell {
  kind: CellKind;
  language: string;
  source: string;
  outputs: StoredOutput[];
  execution?: ExecutionSummary;
  metadata?: Record<string, unknown>;
}

export interface StoredNotebook {
  format: typeof NOTEBOOK_FORMAT;
  formatVersion: number;
  metadata: Record<string, unknown>;
  cells: StoredCell[];
}

/** A file that is not a valid `.ccnet` notebook; the message names the place and the fix. */
export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFormatError';
  }
}

export function emptyNotebook(): StoredNotebook {
  return { format: NOTEBOOK_FORMAT, formatVersion: NOTEBOOK_FORMAT_VERSION, metadata: {}, cells: [] };
}

/** True for mimes whose data is stored as JSON. */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json') || mime === 'application/vnd.code.notebook.error';
}

/** True for mimes whose data is stored as a plain string. */
export function isTextMime(mime: string): boolean {
  return mime.startsWith('text/') || mime === 'application/vnd.code.notebook.stdout' || mime === 'application/vnd.code.notebook.stderr';
}

/**
 * Parses the text of a `.ccnet` file. Empty text (a new file) is an empty notebook.
 * Anything else that is not a valid notebook throws a NotebookFormatError naming the problem.
 */
export function parseNotebook(text: string, fileName = 'notebook'): StoredNotebook {
  if (text.trim() === '') return emptyNotebook();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NotebookFormatError(`${fileName} is not valid JSON (${reason}); fix it in a text editor (Reopen Editor With... > Text Editor) or restore it from version control`);
  }
  const where = (path: string) => `${fileName}: ${path}`;
  const root = expectObject(raw, where('the top level'));
  if (root.format !== NOTEBOOK_FORMAT) {
    throw new NotebookFormatError(`${where('"format"')} is ${JSON.stringify(root.format)}, expected "${NOTEBOOK_FORMAT}"; this is not a CC-Net notebook`);
  }
  if (typeof root.formatVersion !== 'number' || !Number.isInteger(root.formatVersion)) {
    throw new NotebookFormatError(`${where('"formatVersion"')} must be a whole number`);
  }
  if (root.formatVersion > NOTEBOOK_FORMAT_VERSION) {
    throw new NotebookFormatError(
      `${fileName} has format version ${root.formatVersion}, newer than this CC-Net Studio understands (${NOTEBOOK_FORMAT_VERSION}); update the extension`,
    );
  }
  if (!Array.isArray(root.cells)) throw new NotebookFormatError(`${where('"cells"')} must be a list`);
  const cells = root.cells.map((cell, i) => parseCell(cell, where(`cells[${i}]`)));
  const metadata = root.metadata === undefined ? {} : expectObject(root.metadata, where('"metadata"'));
  return { format: NOTEBOOK_FORMAT, formatVersion: NOTEBOOK_FORMAT_VERSION, metadata, cells };
}

function parseCell(raw: unknown, where: string): StoredCell {
  const cell = expectObject(raw, where);
  if (cell.kind !== 'code' && cell.kind !== 'markdown') {
    throw new NotebookFormatError(`${where}.kind is ${JSON.stringify(cell.kind)}, expected "code" or "markdown"`);
  }
  if (typeof cell.source !== 'string') throw new NotebookFormatError(`${where}.source must be a string`);
  const language = cell.language === undefined ? (cell.kind === 'code' ? 'ccnet' : 'markdown') : cell.language;
  if (typeof language !== 'string') throw new NotebookFormatError(`${where}.language must be a string`);
  const outputsRaw = cell.outputs === undefined ? [] : cell.outputs;
  if (!Array.isArray(outputsRaw)) throw new NotebookFormatError(`${where}.outputs must be a list`);
  const outputs = outputsRaw.map((o, i) => parseOutput(o, `${where}.outputs[${i}]`));
  const result: StoredCell = { kind: cell.kind, language, source: cell.source, outputs };
  if (cell.execution !== undefined) result.execution = expectObject(cell.execution, `${where}.execution`) as ExecutionSummary;
  if (cell.metadata !== undefined) result.metadata = expectObject(cell.metadata, `${where}.metadata`);
  return result;
}

function parseOutput(raw: unknown, where: string): StoredOutput {
  const output = expectObject(raw, where);
  if (!Array.isArray(output.items)) throw new NotebookFormatError(`${where}.items must be a list`);
  const items = output.items.map((rawItem, i) => {
    const item = expectObject(rawItem, `${where}.items[${i}]`);
    if (typeof item.mime !== 'string') throw new NotebookFormatError(`${where}.items[${i}].mime must be a string`);
    if (item.encoding !== undefined && item.encoding !== 'base64') {
      throw new NotebookFormatError(`${where}.items[${i}].encoding must be "base64" or absent`);
    }
    if (item.encoding === 'base64' && typeof item.data !== 'string') {
      throw new NotebookFormatError(`${where}.items[${i}].data must be a base64 string`);
    }
    const parsed: StoredOutputItem = { mime: item.mime, data: item.data };
    if (item.encoding === 'base64') parsed.encoding = 'base64';
    return parsed;
  });
  const result: StoredOutput = { items };
  if (output.metadata !== undefined) result.metadata = expectObject(output.metadata, `${where}.metadata`);
  return result;
}

function expectObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NotebookFormatError(`${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** Serialises a notebook: sorted keys at every level, two-space indent, final newline. */
export function serializeNotebook(notebook: StoredNotebook): string {
  return `${JSON.stringify(sortKeysDeep(notebook), null, 2)}\n`;
}

/** A copy of the value with object keys in sorted order at every level. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeysDeep(child);
    }
    return sorted;
  }
  return value;
}

/** Converts an output item's bytes to its stored form (JSON value, text or base64). */
export function storeOutputItem(mime: string, bytes: Uint8Array): StoredOutputItem {
  if (isJsonMime(mime)) {
    const text = new TextDecoder().decode(bytes);
    try {
      return { mime, data: JSON.parse(text) };
    } catch {
      return { mime, data: text };
    }
  }
  if (isTextMime(mime)) return { mime, data: new TextDecoder().decode(bytes) };
  return { mime, data: Buffer.from(bytes).toString('base64'), encoding: 'base64' };
}

/** Converts a stored output item back to bytes. */
export function loadOutputItem(item: StoredOutputItem): Uint8Array {
  if (item.encoding === 'base64') return new Uint8Array(Buffer.from(String(item.data), 'base64'));
  if (typeof item.data === 'string' && !isJsonMime(item.mime)) return new TextEncoder().encode(item.data);
  return new TextEncoder().encode(typeof item.data === 'string' ? item.data : JSON.stringify(item.data));
}

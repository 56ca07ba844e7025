/** Builders for the outputs a statement produces (plots, tables, JSON, errors). */
import type { KernelOutput, KernelOutputItem } from './protocol';

export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
export const OVERLAY_MIME = 'application/vnd.ccnet.overlay+json';
export const ERROR_MIME = 'application/vnd.code.notebook.error';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';

let counter = 0;
/** A fresh output id, unique within the kernel process. */
export function newOutputId(prefix = 'out'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export function markdownItem(markdown: string): KernelOutputItem {
  return { mime: 'text/markdown', data: markdown };
}

/**
 * Machine-readable results beside a table or plot (read by the CLI's --json and by scripts).
 * A vendor mime type: VS Code ranks plain application/json above markdown and would show the
 * raw JSON in place of the table.
 */
export const RESULT_JSON_MIME = 'application/vnd.ccnet.result+json';

export function jsonItem(value: unknown): KernelOutputItem {
  return { mime: RESULT_JSON_MIME, data: value };
}

/** A Vega-Lite plot with a markdown fallback for viewers without our renderer. */
export function plotOutput(spec: Record<string, unknown>, fallbackMarkdown: string, id = newOutputId('plot')): KernelOutput {
  return { id, items: [{ mime: VEGA_LITE_MIME, data: spec }, markdownItem(fallbackMarkdown)] };
}

export function markdownOutput(markdown: string, extra: KernelOutputItem[] = [], metadata?: Record<string, unknown>): KernelOutput {
  const output: KernelOutput = { id: newOutputId('md'), items: [markdownItem(markdown), ...extra] };
  if (metadata) output.metadata = metadata;
  return output;
}

export function warningOutput(lines: string[]): KernelOutput {
  return { id: newOutputId('warn'), items: [{ mime: STDERR_MIME, data: lines.map((l) => `warning: ${l}`).join('\n') + '\n' }] };
}

/** A markdown table; numbers are shown with `digits` significant digits. */
export function markdownTable(headers: string[], rows: (string | number)[][], digits = 4): string {
  const cell = (v: string | number) => (typeof v === 'number' ? formatNumber(v, digits) : v.replace(/\|/g, '\\|'));
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e12) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

/** Cell-language literals for code that writes or checks statement text outside a cell. */
import { scan } from './scanner';

/** Text as a double-quoted cell-language string (the scanner's `\"` and `\\` escapes). */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The value of `text` when it is exactly one cell-language number (`0.9`, `1/8`, `.5`), as the
 * scanner reads it; undefined otherwise.
 */
export function numberLiteral(text: string): number | undefined {
  const tokens = scan(text.trim()).filter((t) => t.kind !== 'eof');
  return tokens.length === 1 && tokens[0]!.kind === 'number' ? (tokens[0]!.value as number) : undefined;
}

/** How a calibration prepared its datasets (its plan's patchPx, datasetScale and inputSizePx). */
export interface DatasetPreparation {
  inputSizePx: number;
  patchPx?: number;
  datasetScale?: 'auto';
}

/**
 * The clauses of a dataset statement that prepare a dataset the way a calibration did, with a
 * leading space: ` patch 128 scale auto` for a patch-trained plan at the automatic working scale,
 * ` patch 128` at the stored resolution, ` size 128` for whole images resized to 128 x 128.
 * Predictions assume the calibration's recipe, so commands that predict define datasets this way.
 */
export function datasetClausesOf(preparation: DatasetPreparation): string {
  if (preparation.patchPx === undefined) return ` size ${preparation.inputSizePx}`;
  return ` patch ${preparation.patchPx}${preparation.datasetScale ? ` scale ${preparation.datasetScale}` : ''}`;
}

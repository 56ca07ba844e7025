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

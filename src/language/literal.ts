/** Text as a double-quoted cell-language string (the scanner's `\"` and `\\` escapes). */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

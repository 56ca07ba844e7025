/** Writes the plots and images of executed cells to files (Vega-Lite JSON, SVG, PNG). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { StoredNotebook } from '../notebook/format';

const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

/** Renders a Vega-Lite spec to an SVG string with vega's headless SVG renderer. */
export async function vegaLiteToSvg(spec: Record<string, unknown>): Promise<string> {
  const { spec: vegaSpec } = compile(spec as unknown as TopLevelSpec);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Writes every plot and image of the notebook under `folder`; returns the written paths. */
export async function writeNotebookPlots(notebook: StoredNotebook, folder: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const [cellIndex, cell] of notebook.cells.entries()) {
    let n = 0;
    for (const output of cell.outputs) {
      for (const item of output.items) {
        const base = join(folder, `cell${cellIndex + 1}-${++n}`);
        if (item.mime === VEGA_LITE_MIME && item.data && typeof item.data === 'object') {
          const spec = item.data as Record<string, unknown>;
          await writeFile(`${base}.vl.json`, JSON.stringify(spec, null, 2));
          await writeFile(`${base}.svg`, await vegaLiteToSvg(spec));
          written.push(`${base}.svg`);
        } else if (item.mime === 'image/png' && item.encoding === 'base64') {
          await writeFile(`${base}.png`, Buffer.from(String(item.data), 'base64'));
          written.push(`${base}.png`);
        }
      }
    }
  }
  return written;
}

/** Writes the plots and images of executed cells to files (Vega-Lite JSON, SVG, PNG). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import sharp from 'sharp';
import type { StoredNotebook } from '../protocol/notebook-format';
import type { OverlayData } from '../engine/train/overlay';

const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
const OVERLAY_MIME = 'application/vnd.ccnet.overlay+json';

/** Each overlay image with its error layer (TP/FP/FN) drawn over it at 60% opacity, as PNG. */
async function writeOverlays(data: OverlayData, base: string): Promise<string[]> {
  const written: string[] = [];
  for (const [i, image] of data.images.entries()) {
    const errors = image.layers.find((l) => l.name === 'errors') ?? image.layers[0];
    let pipeline = sharp(Buffer.from(image.imagePngBase64, 'base64')).toColourspace('srgb');
    if (errors) {
      const layer = await sharp(Buffer.from(errors.pngBase64, 'base64')).ensureAlpha(0.6).linear([1, 1, 1, 0.6], [0, 0, 0, 0]).png().toBuffer();
      pipeline = pipeline.composite([{ input: layer }]);
    }
    const path = `${base}-overlay${i + 1}.png`;
    await writeFile(path, await pipeline.png().toBuffer());
    written.push(path);
  }
  return written;
}

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
        } else if (item.mime === OVERLAY_MIME && item.data && typeof item.data === 'object') {
          written.push(...(await writeOverlays(item.data as OverlayData, base)));
        } else if (item.mime === 'image/png' && item.encoding === 'base64') {
          await writeFile(`${base}.png`, Buffer.from(String(item.data), 'base64'));
          written.push(`${base}.png`);
        }
      }
    }
  }
  return written;
}

/** Draws a Vega-Lite output with vega-embed, themed, with PNG/SVG export in its action menu. */
import embed, { type Result } from 'vega-embed';
import { vegaThemeConfig } from './theme';

export async function renderVegaLite(spec: Record<string, unknown>, element: HTMLElement): Promise<Result> {
  element.replaceChildren();
  const container = document.createElement('div');
  container.className = 'ccnet-plot';
  element.appendChild(container);
  const largeData = countValues(spec) > 5000;
  return embed(container, spec as never, {
    config: vegaThemeConfig() as never,
    // Canvas keeps plots with thousands of marks responsive; SVG is crisper for small ones.
    renderer: largeData ? 'canvas' : 'svg',
    actions: { export: true, source: false, compiled: false, editor: false },
    downloadFileName: String(spec.title ?? 'ccnet-plot').replace(/[^\w.-]+/g, '-').slice(0, 60),
  });
}

function countValues(spec: Record<string, unknown>): number {
  const data = spec.data as { values?: unknown[] } | undefined;
  return Array.isArray(data?.values) ? data.values.length : 0;
}

/**
 * A Vega-Lite plot of means with standard-error bars, one coloured line per series (the studies:
 * F1 against annotated images per strategy, F1 against the share of training images per width of
 * weights).
 */
export interface MeanPoint {
  x: number;
  series: string;
  mean: number;
  standardError: number;
}

export function meanPlot(title: string, points: readonly MeanPoint[], axes: { x: string; y: string; series: string }): Record<string, unknown> {
  const values = points.map((p) => ({ ...p, low: p.mean - p.standardError, high: p.mean + p.standardError }));
  const colour = { field: 'series', type: 'nominal', title: axes.series };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 320,
    height: 220,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true, tooltip: true }, encoding: { x: { field: 'x', type: 'quantitative', title: axes.x }, y: { field: 'mean', type: 'quantitative', scale: { zero: false }, title: axes.y }, color: colour } },
      { mark: { type: 'rule' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: colour } },
    ],
  };
}

/** Tables and Vega-Lite plots of dataset complexity. */
import type { DatasetComplexity } from '../../engine/complexity/dataset-complexity';
import type { ImageMeasure } from '../../engine/complexity/measure';
import { formatNumber, markdownTable } from '../outputs';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

export function complexityTable(results: DatasetComplexity[], measures: ImageMeasure[]): string {
  const headers = ['dataset', 'images used', ...measures.map((m) => `${m.symbol} mean ± std`)];
  const rows = results.map((r) => [
    r.dataset,
    `${r.usedCount}/${r.imageCount}`,
    ...measures.map((m) => `${formatNumber(r.measures[m.id]!.mean)} ± ${formatNumber(r.measures[m.id]!.std, 2)}`),
  ]);
  return markdownTable(headers, rows);
}

export function perImageTable(result: DatasetComplexity, measures: ImageMeasure[]): string {
  return markdownTable(
    ['image', ...measures.map((m) => m.symbol)],
    result.perImage.map((p) => [p.id, ...measures.map((m) => p.values[m.id]!)]),
  );
}

/** Bar chart of each measure's mean per dataset, with ±1 standard deviation, one panel per measure. */
export function complexityBarChart(results: DatasetComplexity[], measures: ImageMeasure[]): Record<string, unknown> {
  const values = results.flatMap((r) =>
    measures.map((m) => ({
      dataset: r.dataset,
      measure: `${m.symbol} (${m.name})`,
      mean: r.measures[m.id]!.mean,
      low: r.measures[m.id]!.mean - r.measures[m.id]!.std,
      high: r.measures[m.id]!.mean + r.measures[m.id]!.std,
      count: r.measures[m.id]!.count,
    })),
  );
  return {
    $schema: SCHEMA,
    title: 'Dataset complexity (mean ± 1 std)',
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: Math.max(120, 60 * results.length),
      height: 180,
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'dataset', type: 'nominal', title: null, sort: null },
            y: { field: 'mean', type: 'quantitative', title: 'mean' },
            color: { field: 'dataset', type: 'nominal', legend: null },
            tooltip: [
              { field: 'dataset' },
              { field: 'measure' },
              { field: 'mean', format: '.4f' },
              { field: 'count', title: 'images' },
            ],
          },
        },
        {
          mark: { type: 'rule' },
          encoding: {
            x: { field: 'dataset', type: 'nominal', sort: null },
            y: { field: 'low', type: 'quantitative' },
            y2: { field: 'high' },
          },
        },
      ],
    },
  };
}

/** Per-image distribution: one tick per image, one row per dataset, one panel per measure. */
export function complexityDistributionChart(results: DatasetComplexity[], measures: ImageMeasure[]): Record<string, unknown> {
  const values = results.flatMap((r) =>
    r.perImage.flatMap((p) => measures.map((m) => ({ dataset: r.dataset, image: p.id, measure: m.symbol, value: p.values[m.id]! }))),
  );
  return {
    $schema: SCHEMA,
    title: 'Per-image complexity',
    data: { values },
    facet: { row: { field: 'measure', type: 'nominal', title: null } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 360,
      height: { step: 22 },
      mark: { type: 'tick', thickness: 2, tooltip: true },
      encoding: {
        x: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        y: { field: 'dataset', type: 'nominal', title: null, sort: null },
        color: { field: 'dataset', type: 'nominal', legend: null },
        tooltip: [{ field: 'dataset' }, { field: 'image' }, { field: 'value', format: '.4f' }],
      },
    },
  };
}

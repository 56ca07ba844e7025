/** Tables and Vega-Lite plots of dataset complexity. */
import type { DatasetComplexity } from '../../engine/complexity/dataset-complexity';
import type { ImageMeasure } from '../../engine/complexity/measure';
import { normalizeAcrossDatasets } from '../../engine/complexity/jb';
import { formatNumber, markdownTable } from '../../protocol/outputs';

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

/**
 * Bar chart per dataset and measure. With several datasets the bars are the measures normalised
 * to [0, 1] across them (min-max, as the paper's Fig. 4) with the raw mean in the tooltip; with
 * one dataset they are the raw means with ±1 standard deviation.
 */
export function complexityBarChart(results: DatasetComplexity[], measures: ImageMeasure[]): Record<string, unknown> {
  const normalised = results.length > 1 ? normalizeAcrossDatasets(results, measures.map((m) => m.id)) : undefined;
  const values = results.flatMap((r) =>
    measures.map((m) => ({
      dataset: r.dataset,
      measure: m.symbol,
      measureName: m.name,
      value: normalised ? normalised.values[r.dataset]![m.id]! : r.measures[m.id]!.mean,
      mean: r.measures[m.id]!.mean,
      std: r.measures[m.id]!.std,
      low: r.measures[m.id]!.mean - r.measures[m.id]!.std,
      high: r.measures[m.id]!.mean + r.measures[m.id]!.std,
      count: r.measures[m.id]!.count,
    })),
  );
  const tooltip = [
    { field: 'dataset' },
    { field: 'measureName', title: 'measure' },
    { field: 'mean', format: '.4f' },
    { field: 'std', format: '.4f' },
    ...(normalised ? [{ field: 'value', title: 'normalised', format: '.3f' }] : []),
    { field: 'count', title: 'images' },
  ];
  if (normalised) {
    return {
      $schema: SCHEMA,
      title: { text: 'Dataset complexity, normalised across the datasets compared', subtitle: normalised.withoutSpread.length ? `no spread (shown as 0.5): ${normalised.withoutSpread.join(', ')}` : 'min-max over dataset means (paper Fig. 4)' },
      data: { values },
      width: { step: 14 },
      height: 180,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'dataset', type: 'nominal', title: null, sort: null, axis: { labelAngle: -30 } },
        xOffset: { field: 'measure', type: 'nominal', sort: null },
        y: { field: 'value', type: 'quantitative', title: 'normalised complexity', scale: { domain: [0, 1] } },
        color: { field: 'measure', type: 'nominal', sort: null, title: 'measure' },
        tooltip,
      },
    };
  }
  return {
    $schema: SCHEMA,
    title: 'Dataset complexity (mean ± 1 std)',
    data: { values },
    facet: { column: { field: 'measureName', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 90,
      height: 180,
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'dataset', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } },
            y: { field: 'mean', type: 'quantitative', title: 'mean' },
            color: { field: 'dataset', type: 'nominal', legend: null },
            tooltip,
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

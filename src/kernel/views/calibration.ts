/** Plots and tables of calibrations and selections (like the paper's Figs. 6, 7 and 9). */
import type { CalibrationFit } from '../../engine/ccnet/calibration-fit';
import { formatAlpha, type Candidate, type Selection } from '../../engine/ccnet/select';
import { formatNumber, markdownTable } from '../outputs';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Relative F1 and IoU against log10(#params), one colour per dataset, with each fitted line. */
export function degradationPlot(fit: CalibrationFit): Record<string, unknown> {
  const points = fit.datasets.flatMap((d) =>
    d.points.flatMap((p) => [
      { dataset: d.dataset, metric: 'relative F1', alpha: formatAlpha(p.alpha), log10Params: p.log10Params, value: p.relativeF1 },
      { dataset: d.dataset, metric: 'relative IoU', alpha: formatAlpha(p.alpha), log10Params: p.log10Params, value: p.relativeIoU },
    ]),
  );
  const lines = fit.datasets.flatMap((d) => {
    const xs = d.points.map((p) => p.log10Params);
    const [low, high] = [Math.min(...xs), Math.max(...xs)];
    return (['F1', 'IoU'] as const).flatMap((m) => {
      const line = m === 'F1' ? d.f1 : d.iou;
      return [low, high].map((x) => ({ dataset: d.dataset, metric: `relative ${m}`, log10Params: x, value: line.intercept + line.slope * x, slope: line.slope, r2: line.rSquared }));
    });
  });
  return {
    $schema: SCHEMA,
    title: { text: 'Degradation with width (paper Figs. 6 and 7)', subtitle: 'lines through (log10 #params at alpha 1, 1); slope = degree of degradation' },
    data: { values: [...points.map((p) => ({ ...p, kind: 'measured' })), ...lines.map((l) => ({ ...l, kind: 'fit' }))] },
    facet: { column: { field: 'metric', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 200,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'fit'" }],
          mark: { type: 'line', strokeDash: [4, 3] },
          encoding: {
            x: { field: 'log10Params', type: 'quantitative', title: 'log10(#params)', scale: { zero: false } },
            y: { field: 'value', type: 'quantitative', title: 'relative accuracy', scale: { zero: false } },
            color: { field: 'dataset', type: 'nominal' },
            detail: { field: 'dataset' },
            tooltip: [{ field: 'dataset' }, { field: 'slope', format: '.4f' }, { field: 'r2', title: 'R²', format: '.3f' }],
          },
        },
        {
          transform: [{ filter: "datum.kind === 'measured'" }],
          mark: { type: 'point', filled: true, size: 50, tooltip: true },
          encoding: {
            x: { field: 'log10Params', type: 'quantitative' },
            y: { field: 'value', type: 'quantitative' },
            color: { field: 'dataset', type: 'nominal' },
            tooltip: [{ field: 'dataset' }, { field: 'alpha' }, { field: 'log10Params', format: '.3f' }, { field: 'value', format: '.3f' }],
          },
        },
      ],
    },
  };
}

/** Slope against complexity with the fitted line and its 90% prediction band. */
export function slopePlot(fit: CalibrationFit, band: (metric: 'f1' | 'iou', x: number) => { value: number; low: number; high: number }, newDataset?: { name: string; j: number; jb: number }): Record<string, unknown> {
  const rows: Record<string, unknown>[] = [];
  for (const metric of ['f1', 'iou'] as const) {
    const complexityFit = fit[metric];
    const label = metric === 'f1' ? 'F1 slope vs J' : `IoU slope vs JB (beta ${complexityFit.beta})`;
    for (const d of fit.datasets) rows.push({ panel: label, kind: 'dataset', dataset: d.dataset, complexity: complexityFit.complexityByDataset[d.dataset], slope: metric === 'f1' ? d.f1.slope : d.iou.slope });
    const xs = Object.values(complexityFit.complexityByDataset);
    const span = Math.max(...xs) - Math.min(...xs) || 1;
    const from = Math.min(...xs, newDataset ? (metric === 'f1' ? newDataset.j : newDataset.jb) : Infinity) - 0.1 * span;
    const to = Math.max(...xs, newDataset ? (metric === 'f1' ? newDataset.j : newDataset.jb) : -Infinity) + 0.1 * span;
    for (let i = 0; i <= 20; i++) {
      const x = from + ((to - from) * i) / 20;
      let interval: { value: number; low: number; high: number };
      try {
        interval = band(metric, x);
      } catch {
        interval = { value: complexityFit.fit.intercept + complexityFit.fit.slope * x, low: Number.NaN, high: Number.NaN };
      }
      rows.push({ panel: label, kind: 'fit', complexity: x, slope: interval.value, low: interval.low, high: interval.high });
    }
    if (newDataset) {
      const x = metric === 'f1' ? newDataset.j : newDataset.jb;
      rows.push({ panel: label, kind: 'new', dataset: `${newDataset.name} (predicted)`, complexity: x, slope: complexityFit.fit.intercept + complexityFit.fit.slope * x });
    }
  }
  return {
    $schema: SCHEMA,
    title: { text: 'Degree of degradation against complexity', subtitle: 'fitted line with its 90% prediction band' },
    data: { values: rows },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 260,
      height: 200,
      layer: [
        { transform: [{ filter: "datum.kind === 'fit' && isValid(datum.low) && isFinite(datum.low)" }], mark: { type: 'area', opacity: 0.2 }, encoding: { x: { field: 'complexity', type: 'quantitative', title: 'complexity' }, y: { field: 'low', type: 'quantitative', title: 'slope' }, y2: { field: 'high' } } },
        { transform: [{ filter: "datum.kind === 'fit'" }], mark: { type: 'line' }, encoding: { x: { field: 'complexity', type: 'quantitative' }, y: { field: 'slope', type: 'quantitative' } } },
        {
          transform: [{ filter: "datum.kind !== 'fit'" }],
          mark: { type: 'point', filled: true, size: 70, tooltip: true },
          encoding: {
            x: { field: 'complexity', type: 'quantitative' },
            y: { field: 'slope', type: 'quantitative' },
            color: { field: 'dataset', type: 'nominal' },
            shape: { field: 'kind', type: 'nominal', legend: null },
            tooltip: [{ field: 'dataset' }, { field: 'complexity', format: '.4f' }, { field: 'slope', format: '.4f' }],
          },
        },
      ],
    },
  };
}

export function fitTable(fit: CalibrationFit): string {
  const rows: (string | number)[][] = fit.datasets.map((d) => [
    d.dataset,
    formatNumber(d.baseF1, 3),
    formatNumber(d.baseIoU, 3),
    formatNumber(d.f1.slope, 4),
    formatNumber(d.f1.rSquared, 3),
    formatNumber(d.iou.slope, 4),
    formatNumber(d.iou.rSquared, 3),
    formatNumber(fit.f1.complexityByDataset[d.dataset]!, 4),
    formatNumber(fit.iou.complexityByDataset[d.dataset]!, 4),
  ]);
  const datasetTable = markdownTable(['dataset', 'base F1', 'base IoU', 'F1 slope', 'R² (F1)', 'IoU slope', 'R² (IoU)', 'J', `JB (beta ${fit.iou.beta})`], rows);
  const line = (name: string, f: CalibrationFit['f1']) =>
    `${name}: slope = ${formatNumber(f.fit.intercept, 4)} + ${formatNumber(f.fit.slope, 4)} x ${f.measure === 'j' ? 'J' : 'JB'}, R² ${formatNumber(f.fit.rSquared, 3)}, residual error ${formatNumber(f.fit.residualStdError, 3)}`;
  const excluded = fit.excluded.map((e) => `\n\nLeft out of the fits: **${e.dataset}**: ${e.reason}.`).join('');
  return `${datasetTable}\n\n${line('F1', fit.f1)}  \n${line('IoU', fit.iou)}${excluded}`;
}

const interval = (i: { value: number; low: number; high: number }) => `${formatNumber(i.value, 3)} [${formatNumber(i.low, 3)}, ${formatNumber(i.high, 3)}]`;

export function selectionTable(selection: Selection, baseWidth: number): string {
  const row = (label: string, c: Candidate) => [label, formatAlpha(c.alpha), formatNumber(c.alpha * baseWidth, 4), c.params, formatNumber(c.log10Params, 4), formatNumber(c.sizeMB, 4), interval(c.predicted.f1), interval(c.predicted.iou), c.memoryMB === undefined ? '' : formatNumber(c.memoryMB, 4)];
  const rows = [row('selected', selection)];
  if (selection.nextSmaller) rows.push(row('next smaller', selection.nextSmaller));
  return markdownTable(['', 'alpha', 'width (x paper)', '#params', 'log10 #params', 'size (MB, 32-bit)', 'predicted relative F1 [90%]', 'predicted relative IoU [90%]', 'memory (MB)'], rows);
}

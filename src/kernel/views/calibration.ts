/** Plots and tables of calibrations and selections (like the paper's Figs. 6, 7 and 9). */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { CalibrationFit } from '../../engine/ccnet/calibration-fit';
import { NO_MEASURE, type ComplexityFit } from '../../engine/ccnet/complexity-fit';
import type { DatasetPrediction } from '../../engine/ccnet/predict';
import { formatAlpha, type Candidate, type Selection } from '../../engine/ccnet/select';
import { formatNumber, markdownTable } from '../../protocol/outputs';

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
      const curve = m === 'F1' ? d.f1 : d.iou;
      return Array.from({ length: 11 }, (_, i) => {
        const x = low + ((high - low) * i) / 10;
        return { dataset: d.dataset, metric: `relative ${m}`, log10Params: x, value: 1 - curve.slope * (d.log10ParamsAtBase - x) ** curve.exponent, slope: curve.slope, r2: curve.rSquared };
      });
    });
  });
  return {
    $schema: SCHEMA,
    title: { text: 'Degradation with width (paper Figs. 6 and 7)', subtitle: 'curves 1 - s d^p through the base (d: decades of #params removed); s = degree of degradation, >= 0' },
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

/** The title of a fit's measure, e.g. "J", "JB (beta 0.35)", "none (mean slope)". */
export function measureTitle(c: Pick<ComplexityFit, 'measure' | 'beta'>): string {
  if (c.measure === 'jb') return `JB (beta ${c.beta})`;
  if (c.measure === NO_MEASURE) return 'none (mean slope)';
  return c.measure === 'j' ? 'J' : c.measure === 'b' ? 'B' : c.measure;
}

/** Slope against the chosen complexity measure with the fitted line and its 90% prediction band. */
export function slopePlot(fit: CalibrationFit, newDataset?: { name: string; prediction: DatasetPrediction }): Record<string, unknown> {
  const rows: Record<string, unknown>[] = [];
  for (const metric of ['f1', 'iou'] as const) {
    const c = fit[metric].complexity;
    const label = `${metric === 'f1' ? 'F1' : 'IoU'} slope vs ${measureTitle(c)}`;
    for (const d of fit.datasets) rows.push({ panel: label, kind: 'dataset', dataset: d.dataset, complexity: c.valueByDataset[d.dataset], slope: d[metric].slope });
    const xs = Object.values(c.valueByDataset);
    const own = newDataset?.prediction[metric].x;
    const span = Math.max(...xs) - Math.min(...xs) || 1;
    const from = Math.min(...xs, own ?? Infinity) - 0.1 * span;
    const to = Math.max(...xs, own ?? -Infinity) + 0.1 * span;
    const t = tQuantile(0.95, c.line.degreesOfFreedom);
    for (let i = 0; i <= 20; i++) {
      const x = from + ((to - from) * i) / 20;
      const value = c.line.intercept + c.line.slope * x;
      const se = c.line.residualStdError * Math.sqrt(1 + 1 / c.line.n + (c.measure === NO_MEASURE ? 0 : (x - c.line.meanX) ** 2 / c.line.sxx));
      rows.push({ panel: label, kind: 'fit', complexity: x, slope: Math.max(0, value), low: Math.max(0, value - t * se), high: Math.max(0, value + t * se) });
    }
    if (newDataset) rows.push({ panel: label, kind: 'new', dataset: `${newDataset.name} (predicted)`, complexity: own, slope: newDataset.prediction[metric].slope });
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
    formatNumber(d.f1.slope, 4) + (d.f1.unconstrainedSlope < 0 ? ' (constrained)' : ''),
    formatNumber(d.f1.rSquared, 3),
    formatNumber(d.iou.slope, 4) + (d.iou.unconstrainedSlope < 0 ? ' (constrained)' : ''),
    formatNumber(d.iou.rSquared, 3),
    formatNumber(fit.f1.complexity.valueByDataset[d.dataset]!, 4),
    formatNumber(fit.iou.complexity.valueByDataset[d.dataset]!, 4),
  ]);
  const datasetTable = markdownTable(['dataset', 'base F1', 'base IoU', 'F1 slope', 'R² (F1)', 'IoU slope', 'R² (IoU)', measureTitle(fit.f1.complexity), measureTitle(fit.iou.complexity)], rows);
  const line = (name: string, f: CalibrationFit['f1']) => {
    const c = f.complexity;
    const formula = c.measure === NO_MEASURE ? `slope = ${formatNumber(c.line.intercept, 4)} (the mean: no measure predicts better)` : `slope = ${formatNumber(c.line.intercept, 4)} + ${formatNumber(c.line.slope, 4)} x ${measureTitle(c)}, R² ${formatNumber(c.line.rSquared, 3)}`;
    const refused = c.candidates.filter((k) => k.refused).length;
    return `${name}: curves 1 - s d^${formatNumber(f.exponent, 3)}; ${formula}; residual error ${formatNumber(c.line.residualStdError, 3)}; measure ${c.chosenBy === 'request' ? 'as requested' : 'chosen by leave-one-dataset-out error'} (${formatNumber(c.heldOutError, 3)}; ${c.candidates.length} candidates, ${refused} refused)`;
  };
  const excluded = fit.excluded.map((e) => `\n\nLeft out of the fits: **${e.dataset}**: ${e.reason}.`).join('');
  return `${datasetTable}\n\n${line('F1', fit.f1)}  \n${line('IoU', fit.iou)}${excluded}`;
}

/** Every candidate measure of a metric with its held-out error (and why a refused one was refused). */
export function measureTable(fit: CalibrationFit, metric: 'f1' | 'iou'): string {
  const c = fit[metric].complexity;
  return markdownTable(
    ['measure', 'held-out error (relative ' + (metric === 'f1' ? 'F1' : 'IoU') + ')', 'used', 'refused because'],
    c.candidates.map((k) => [k.measure, k.heldOutError === null ? '' : formatNumber(k.heldOutError, 3), k.measure === c.measure ? 'yes' : '', k.refused ?? '']),
  );
}

const interval = (i: { value: number; low: number; high: number }) => `${formatNumber(i.value, 3)} [${formatNumber(i.low, 3)}, ${formatNumber(i.high, 3)}]`;

export function selectionTable(selection: Selection, baseWidth: number): string {
  const atBits = selection.bits < 32;
  const row = (label: string, c: Candidate) => [
    label,
    formatAlpha(c.alpha),
    formatNumber(c.alpha * baseWidth, 4),
    c.params,
    formatNumber(c.log10Params, 4),
    formatNumber(c.sizeMB, 4),
    ...(atBits ? [formatNumber(c.sizeAtBitsMB, 4)] : []),
    interval(c.predicted.f1) + (c.predicted.f1.widthInside ? '' : ' (extrapolated)'),
    interval(c.predicted.iou),
    c.memoryMB === undefined ? '' : formatNumber(c.memoryMB, 4),
  ];
  const rows = [row('selected', selection)];
  if (selection.nextSmaller) rows.push(row('next smaller', selection.nextSmaller));
  const sizes = ['ONNX file (MB, float32)', ...(atBits ? [`ONNX file (MB, ${selection.bits}-bit kernels)`] : [])];
  return markdownTable(['', 'alpha', 'width (x paper)', '#params', 'log10 #params', ...sizes, 'predicted relative F1 [90%]', 'predicted relative IoU [90%]', 'memory (MB)'], rows);
}

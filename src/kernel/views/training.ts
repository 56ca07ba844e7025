/** The live training plot and the tables of evaluated models. */
import { METRIC_NAMES, type SegmentationMetrics } from '../../engine/train/metrics';
import type { TrainProgress } from '../../engine/train/loop';
import { INPUT_PREPROCESSING } from '../../engine/train/tensors';
import { onnxBytesOf, storedFormOf, type TrainedModel } from '../models';
import { describeStoredForm, payloadBitsPerParam, sparseEstimateBytes } from '../../engine/export/stored-form';
import { formatNumber, markdownTable } from '../../protocol/outputs';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

export interface LossPoint {
  step: number;
  epoch: number;
  series: 'training loss (step)' | 'training loss (epoch)' | 'validation loss';
  loss: number;
}

/** Collects the points of the live plot from training progress. */
export class LossCurve {
  readonly points: LossPoint[] = [];
  private globalStep = 0;

  add(progress: TrainProgress): void {
    if (progress.kind === 'step') {
      this.globalStep++;
      this.points.push({ step: this.globalStep, epoch: progress.epoch, series: 'training loss (step)', loss: progress.loss });
    } else if (progress.record) {
      this.points.push({ step: this.globalStep, epoch: progress.epoch, series: 'training loss (epoch)', loss: progress.record.loss });
      if (Number.isFinite(progress.record.validationLoss)) {
        this.points.push({ step: this.globalStep, epoch: progress.epoch, series: 'validation loss', loss: progress.record.validationLoss });
      }
    }
  }
}

export function lossPlot(title: string, points: readonly LossPoint[], subtitle: string): Record<string, unknown> {
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    data: { values: points },
    width: 420,
    height: 180,
    mark: { type: 'line', point: false, tooltip: true, clip: true },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'training step' },
      y: { field: 'loss', type: 'quantitative', title: 'loss (BCE + soft Dice)', scale: { type: 'log' } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['training loss (step)', 'training loss (epoch)', 'validation loss'] } },
      strokeOpacity: { condition: { test: "datum.series === 'training loss (step)'", value: 0.35 }, value: 1 },
      tooltip: [{ field: 'series' }, { field: 'epoch' }, { field: 'step' }, { field: 'loss', format: '.4f' }],
    },
  };
}

const LABELS: Record<keyof SegmentationMetrics, string> = {
  f1: 'F1 (Dice)',
  iou: 'IoU',
  sensitivity: 'sensitivity',
  specificity: 'specificity',
  precision: 'precision',
  accuracy: 'accuracy',
  crossEntropy: 'cross-entropy',
};

/** One row per model: metrics as mean ± std over images, size of its ONNX export (bytes export writes), latency, training time. */
export function modelsTable(models: readonly TrainedModel[]): string {
  const headers = ['model', 'network', 'alpha', ...METRIC_NAMES.map((m) => LABELS[m]), 'log10 #params', 'ONNX file (MB)', 'latency (ms/image)', 'training (s)'];
  const rows = models.map((m) => [
    m.name,
    `${m.choice.squeeze ? 'squeezed-' : ''}${m.choice.network}`,
    formatNumber(m.alpha, 3),
    ...METRIC_NAMES.map((name) => (m.evaluation ? `${formatNumber(m.evaluation.summary[name].mean, 3)} ± ${formatNumber(m.evaluation.summary[name].std, 2)}` : '')),
    formatNumber(Math.log10(m.params), 4),
    formatNumber(onnxBytesOf(m) / 1e6, 3),
    m.latency ? `${formatNumber(m.latency.medianMsPerImage, 3)} (${m.latency.backend})` : '',
    m.train ? formatNumber(m.train.trainMs / 1000, 3) : '',
  ]);
  return markdownTable(headers, rows);
}

/** The JSON contract of one model (for --json and scripts). */
export function modelJson(m: TrainedModel) {
  const form = storedFormOf(m);
  const onnxBytes = onnxBytesOf(m);
  return {
    name: m.name,
    network: `${m.choice.squeeze ? 'squeezed-' : ''}${m.choice.network}`,
    alpha: m.alpha,
    dataset: m.dataset,
    origin: m.origin,
    params: m.params,
    log10Params: Math.log10(m.params),
    /** the bytes of model.onnx that export writes, in MB */
    sizeMB: onnxBytes / 1e6,
    onnxBytes,
    kernelBits: m.kernelBits,
    /** payload (integer kernels, scales, float32 biases) bits per parameter, without the file's structure */
    payloadBitsPerParam: payloadBitsPerParam(form),
    storedForm: describeStoredForm(form),
    /** share of zero kernel weights (magnitude-pruned models only), and an estimate (no export writes it) of a sparse format's size */
    sparsity: m.sparsity ?? null,
    sparseEstimateMB: m.sparsity !== undefined ? sparseEstimateBytes(form) / 1e6 : null,
    input: `${m.inputShape.heightPx}x${m.inputShape.widthPx}x${m.inputShape.channels}`,
    preprocessing: INPUT_PREPROCESSING,
    metrics: m.evaluation ? Object.fromEntries(METRIC_NAMES.map((name) => [name, m.evaluation!.summary[name]])) : null,
    testImages: m.evaluation?.perImage.length ?? 0,
    latency: m.latency ?? null,
    training: m.train
      ? { epochsRun: m.train.epochsRun, stepsRun: m.train.stepsRun, bestEpoch: m.train.bestEpoch, trainMs: m.train.trainMs, stopReason: m.train.stopReason ?? null, trainCount: m.train.trainCount, validationCount: m.train.validationCount, restarts: m.restarts ?? [] }
      : null,
  };
}

/**
 * `compress`: CC-Net end to end. Selects the width (./select.ts), trains the base and the
 * selected width, and for a disk budget at B < 32 bits delivers the selected network at B bits
 * (../deliver.ts) and evaluates that quantized network; reports measured against predicted. The
 * delivered model's ONNX file is checked against the budget (its bytes come from the same stored
 * form as the selection's).
 */
import { relativeMeasurement } from '../../engine/ccnet/measured';
import { formatAlpha, type Selection } from '../../engine/ccnet/select';
import type { ExecutionContext } from '../context';
import { deliverAtBits, type Delivery } from '../deliver';
import { onnxBytesOf, type TrainedModel } from '../models';
import { formatNumber, jsonItem, markdownOutput, markdownTable, plotOutput, warningOutput } from '../../protocol/outputs';
import { datasetSplit, overlayOutput, trainNetwork } from '../training';
import { UserInputError } from '../user-errors';
import { modelJson, modelsTable } from '../views/training';
import { choose, describeSelection, withTrackRecord, selectionJson, UNIT_MB, type ConstraintArgs, type PredictionOptions, type SelectOutcome } from './select';

export interface CompressArgs extends PredictionOptions {
  network: string;
  dataset: string;
  constraint: ConstraintArgs;
  using?: string;
  epochs?: number;
  learningRate?: number;
  seed?: number;
  name?: string;
}

/** What the card says the width was selected by. */
function selectedBy(outcome: SelectOutcome, args: CompressArgs): Record<string, unknown> {
  const s = outcome.selection;
  const c = args.constraint;
  const constraint = c.accuracy !== undefined ? `accuracy >= ${c.accuracy}` : c.disk ? `disk <= ${c.disk.value} ${c.disk.unit} bits ${c.bits ?? 32}` : c.memory ? `memory <= ${c.memory.value} ${c.memory.unit}` : '';
  return {
    calibration: outcome.calibrationName,
    case: s.case,
    constraint,
    relativeAlpha: s.alpha,
    predictedRelativeF1: { value: s.predicted.f1.value, low: s.predicted.f1.low, high: s.predicted.f1.high },
    complexity: outcome.complexity,
  };
}

export async function runCompress(args: CompressArgs, context: ExecutionContext): Promise<void> {
  const outcome = withTrackRecord(await choose(args.network, args.dataset, args.constraint, args.using, context, args), args.constraint, args);
  const plan = outcome.calibration.plan;
  context.emit({ type: 'output', output: markdownOutput(describeSelection(outcome, args.dataset)) });
  if (!outcome.selection.feasible) throw new UserInputError(`cannot compress ${args.network} for ${args.dataset}: ${outcome.selection.reason}`);
  const name = args.name ?? `${args.network.replace(/-/g, '_')}_${args.dataset}_compressed`;
  // as calibrated: the plan's epochs as a cap and its patience, so the base trains until its validation stops improving
  const common = { choice: outcome.choice, dataset: args.dataset, epochs: args.epochs ?? plan.epochs, batch: plan.batch, learningRate: args.learningRate ?? plan.learningRate, seed: args.seed ?? 1, patience: plan.patience ?? 0 };
  const base = await trainNetwork(context, { ...common, alpha: plan.baseWidth, name: `${name}_base`, label: `base (alpha 1)` });
  context.session.setModel(base);
  // When the selection keeps the full base width, the base network is the answer.
  const float: TrainedModel =
    outcome.selection.alpha === 1
      ? { ...base, name }
      : await trainNetwork(context, { ...common, alpha: plan.baseWidth * outcome.selection.alpha, name, label: `selected (alpha ${formatAlpha(outcome.selection.alpha)})` });
  const bits = args.constraint.disk ? (args.constraint.bits ?? 32) : 32;
  const budgetBytes = args.constraint.disk ? args.constraint.disk.value * UNIT_MB[args.constraint.disk.unit]! * 1e6 : undefined;
  let delivery: Delivery | undefined;
  let small = float;
  if (bits < 32) {
    delivery = await deliverAtBits(context, float, bits, { batch: plan.batch, learningRate: common.learningRate });
    small = delivery.entry;
  }
  small.provenance = { statements: small.provenance?.statements ?? [], ...small.provenance, selectedBy: selectedBy(outcome, args), ...(budgetBytes !== undefined ? { diskBudgetBytes: budgetBytes } : {}) };
  context.session.setModel(small);
  const fileBytes = onnxBytesOf(small);
  const problems: string[] = [];
  if (budgetBytes !== undefined && fileBytes > budgetBytes) problems.push(`the delivered model's ONNX file has ${fileBytes} bytes, over the budget of ${budgetBytes} bytes`);
  const relative = {
    f1: relativeMeasurement(base.evaluation!.summary.f1.mean, small.evaluation!.summary.f1.mean, 'F1'),
    iou: relativeMeasurement(base.evaluation!.summary.iou.mean, small.evaluation!.summary.iou.mean, 'IoU'),
  };
  const measured = { f1: relative.f1.value, iou: relative.iou.value };
  const predicted = outcome.selection.predicted;
  const within = (m: number | null, p: { low: number; high: number }) => (m === null ? 'undefined' : m >= p.low && m <= p.high ? 'inside' : 'outside');
  problems.push(...[relative.f1.explanation].filter((e): e is string => e !== undefined));
  if (problems.length > 0) context.emit({ type: 'output', output: warningOutput(problems) });
  const report = {
    ...selectionJson(outcome, args.dataset),
    measured: {
      relativeF1: measured.f1,
      relativeIoU: measured.iou,
      baseF1: base.evaluation!.summary.f1.mean,
      /** the delivered network's (quantized when bits < 32) */
      selectedF1: small.evaluation!.summary.f1.mean,
      baseIoU: base.evaluation!.summary.iou.mean,
      selectedIoU: small.evaluation!.summary.iou.mean,
      /** the selected width before quantization */
      floatSelectedF1: float.evaluation!.summary.f1.mean,
    },
    delivered: {
      bits,
      method: delivery?.method ?? null,
      validationF1: delivery?.validationF1 ?? null,
      rule: delivery?.summary ?? null,
      onnxBytes: fileBytes,
      budgetBytes: budgetBytes ?? null,
      withinBudget: budgetBytes === undefined ? null : fileBytes <= budgetBytes,
    },
    verdict: relative.f1.verdict,
    targetMet: args.constraint.accuracy === undefined || relative.f1.verdict !== 'ok' ? null : measured.f1! >= args.constraint.accuracy,
    parameterReduction: base.params / small.params,
    latencyReduction: base.latency!.medianMsPerImage / small.latency!.medianMsPerImage,
    models: [modelJson(base), ...(delivery ? [modelJson({ ...float, name: `${name} (float, before quantization)` })] : []), modelJson(small)],
  };
  const deliveredText = delivery
    ? `Delivered at ${delivery.summary} Its ONNX file (the bytes \`export ${name}\` writes) is ${fileBytes.toLocaleString('en-US')} bytes${budgetBytes !== undefined ? `, ${fileBytes <= budgetBytes ? 'within' : '**over**'} the budget of ${budgetBytes.toLocaleString('en-US')} bytes` : ''}; the measured F1 is the quantized network's.`
    : budgetBytes !== undefined
      ? `Its ONNX file (float32) is ${fileBytes.toLocaleString('en-US')} bytes, ${fileBytes <= budgetBytes ? 'within' : '**over**'} the budget of ${budgetBytes.toLocaleString('en-US')} bytes.`
      : '';
  const text = [
    `**Measured against predicted** on ${small.evaluation!.perImage.length} held-out images of ${args.dataset}:`,
    '',
    markdownTable(
      ['', 'predicted [90%]', 'measured', 'interval'],
      [
        ['relative F1', `${formatNumber(predicted.f1.value, 3)} [${formatNumber(predicted.f1.low, 3)}, ${formatNumber(predicted.f1.high, 3)}]`, measured.f1 === null ? 'undefined' : formatNumber(measured.f1, 3), within(measured.f1, predicted.f1)],
        ['relative IoU', `${formatNumber(predicted.iou.value, 3)} [${formatNumber(predicted.iou.low, 3)}, ${formatNumber(predicted.iou.high, 3)}]`, measured.iou === null ? 'undefined' : formatNumber(measured.iou, 3), within(measured.iou, predicted.iou)],
      ],
    ),
    '',
    `Parameters reduced **${formatNumber(report.parameterReduction, 3)}x**, latency **${formatNumber(report.latencyReduction, 3)}x** (${small.latency!.backend}).` +
      (relative.f1.verdict !== 'ok' ? ` Measurement: **${relative.f1.verdict}** (see the warning).` : report.targetMet === null ? '' : ` Target relative F1 >= ${args.constraint.accuracy}: **${report.targetMet ? 'met' : 'not met'}**.`) +
      (deliveredText ? ` ${deliveredText}` : ''),
    '',
    modelsTable(delivery ? [base, { ...float, name: `${name} (float)` }, small] : [base, small]),
  ].join('\n');
  context.emit({ type: 'output', output: markdownOutput(text, [jsonItem(report)], { parameterReduction: report.parameterReduction, measuredRelativeF1: measured.f1 }) });
  if (measured.f1 !== null && measured.iou !== null) context.emit({ type: 'output', output: plotOutput(measuredVsPredictedPlot(predicted, { f1: measured.f1, iou: measured.iou }), 'Measured against predicted relative accuracy') });
  const { test } = await datasetSplit(context, args.dataset, small.seed);
  context.emit({ type: 'output', output: await overlayOutput(small, test) });
  if (delivery && float.model !== base.model) float.model.dispose();
}

function measuredVsPredictedPlot(predicted: Selection['predicted'], measured: { f1: number; iou: number }): Record<string, unknown> {
  const values = (['f1', 'iou'] as const).flatMap((m) => [
    { metric: m === 'f1' ? 'relative F1' : 'relative IoU', kind: 'predicted', value: predicted[m].value, low: predicted[m].low, high: predicted[m].high },
    { metric: m === 'f1' ? 'relative F1' : 'relative IoU', kind: 'measured', value: measured[m], low: measured[m], high: measured[m] },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Compressed network: measured against predicted (90% interval)',
    data: { values },
    width: 300,
    height: { step: 40 },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'metric', type: 'nominal', title: null }, yOffset: { field: 'kind' }, x: { field: 'low', type: 'quantitative', title: 'relative to the base network', scale: { zero: false } }, x2: { field: 'high' }, color: { field: 'kind', type: 'nominal', title: null } } },
      { mark: { type: 'point', filled: true, size: 80, tooltip: true }, encoding: { y: { field: 'metric', type: 'nominal' }, yOffset: { field: 'kind' }, x: { field: 'value', type: 'quantitative' }, color: { field: 'kind', type: 'nominal' } } },
    ],
  };
}

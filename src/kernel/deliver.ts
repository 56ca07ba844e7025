/**
 * Delivering a trained float network at k bits (compress with a disk budget), by a rule measured
 * on the network's own validation images (the ones its training validated on; never the
 * held-out test images):
 *
 * 1. post-training quantization (PTQ, ../engine/baselines/quantize.ts); when its validation F1
 *    is at least PTQ_KEEP of the float network's, it is delivered;
 * 2. otherwise quantization-aware training (QAT) from the float weights for QAT_EPOCHS epochs at
 *    a tenth of the training learning rate, fake-quantized with the straight-through estimator
 *    and validated quantized every epoch; the one of PTQ and QAT with the higher validation F1
 *    is delivered.
 *
 * The delivered network is evaluated on the held-out test images like every other.
 */
import { fakeQuantTransform, quantizeModel } from '../engine/baselines/quantize';
import { NETWORKS } from '../engine/models/registry';
import { evaluateModel } from '../engine/train/evaluate';
import { DEFAULT_LEARNING_RATE, trainValidationSplit } from '../engine/train/loop';
import type { ExecutionContext } from './context';
import { cloneModel, type TrainedModel } from './models';
import { formatNumber } from '../protocol/outputs';
import { datasetSplit, evaluateOnTest } from './training';
import { fineTune } from './fine-tuning';

/** PTQ is delivered when it keeps at least this share of the float network's validation F1. */
export const PTQ_KEEP = 0.99;
export const QAT_EPOCHS = 5;

export interface Delivery {
  entry: TrainedModel;
  method: 'post-training quantization' | 'quantization-aware training';
  /** Mean F1 on the validation images: float, PTQ and (when run) QAT. */
  validationF1: { float: number; ptq: number; qat: number | null };
  /** One sentence for reports and the model card. */
  summary: string;
}

export async function deliverAtBits(context: ExecutionContext, float: TrainedModel, bits: number, training: { batch: number; learningRate?: number }): Promise<Delivery> {
  const { train, test } = await datasetSplit(context, float.dataset, float.seed);
  const { validation } = trainValidationSplit(train, { seed: float.seed });
  const validationF1 = async (model: TrainedModel['model']) => (validation.length > 0 ? (await evaluateModel(model, validation, { signal: context.signal })).summary.f1.mean : Number.NaN);
  context.emit({ type: 'progress', message: `${float.name}: ${bits}-bit post-training quantization, validated on ${validation.length} images` });
  const floatF1 = await validationF1(float.model);
  const ptq = cloneModel(float);
  quantizeModel(ptq, bits);
  const ptqF1 = await validationF1(ptq);
  let model = ptq;
  let method: Delivery['method'] = 'post-training quantization';
  let qatF1: number | null = null;
  if (!(ptqF1 >= PTQ_KEEP * floatF1) && validation.length > 0) {
    const qat = cloneModel(float);
    // cached and checkpointed like prune's fine-tuning, keyed by the float network's training and the bits
    const tuned = await fineTune(
      context,
      float,
      { method: 'quantization-aware delivery', bits },
      qat,
      train,
      {
        epochs: QAT_EPOCHS,
        batchSize: training.batch,
        learningRate: (training.learningRate ?? DEFAULT_LEARNING_RATE) / 10,
        seed: float.seed,
        auxiliaryLossWeights: NETWORKS[float.choice.network].auxiliaryLossWeights,
        weightTransform: fakeQuantTransform(qat, bits),
      },
      `${float.name}: ${bits}-bit quantization-aware training`,
      false,
    );
    if (tuned.result.cancelled) throw new DOMException('interrupted', 'AbortError');
    const qatValidation = await evaluateModel(qat, validation, { signal: context.signal });
    qatF1 = qatValidation.summary.f1.mean;
    await tuned.store({ params: float.params, evaluation: qatValidation });
    if (qatF1 > ptqF1) {
      model = qat;
      method = 'quantization-aware training';
      ptq.dispose();
    } else {
      qat.dispose();
    }
  }
  const f = (v: number | null) => (v === null || !Number.isFinite(v) ? 'n/a' : formatNumber(v, 3));
  const rule = validation.length === 0
    ? 'no validation images, so post-training quantization'
    : qatF1 === null
      ? `post-training quantization kept ${f(ptqF1)} of the float network's ${f(floatF1)} validation F1 (at least ${PTQ_KEEP * 100}%)`
      : `post-training quantization kept ${f(ptqF1)} of the float network's ${f(floatF1)} validation F1 (below ${PTQ_KEEP * 100}%), ${QAT_EPOCHS} epochs of quantization-aware training reached ${f(qatF1)}; the higher was delivered`;
  const entry: TrainedModel = {
    ...float,
    model,
    kernelBits: bits,
    origin: `${float.origin}, delivered at ${bits} bits by ${method}`,
    evaluation: undefined,
    latency: undefined,
  };
  await evaluateOnTest(context, entry, test);
  const summary = `${bits}-bit kernels (symmetric per output channel) by ${method}: ${rule}.`;
  entry.provenance = { statements: float.provenance?.statements ?? [], ...float.provenance, delivery: summary };
  return { entry, method, validationF1: { float: floatF1, ptq: ptqF1, qat: qatF1 }, summary };
}

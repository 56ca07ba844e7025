/**
 * Training and evaluating a network inside the kernel: what `train`, `calibrate`, `compress`
 * and the baselines share. Shows a live loss plot (one output updated in place) when asked.
 */
import { splitTrainTest } from '../engine/data/split';
import type { SegmentationSample } from '../engine/data/samples';
import { buildNetwork, checkInputSize, describeModel, isPatchNetwork, networkLabel, NETWORKS, type NetworkChoice } from '../engine/models/registry';
import { evaluateModel } from '../engine/train/evaluate';
import { measureLatency } from '../engine/train/latency';
import { trainModel, type TrainOptions, type TrainProgress, type TrainResult } from '../engine/train/loop';
import { inputMismatch, modelInputSize } from '../engine/train/predict';
import type * as tf from '../engine/tf';
import { foregroundFraction, initialiseOutputBiasToPrior } from '../engine/train/output-bias';
import { DEFAULT_MAX_RESTARTS, trainWithRestarts } from '../engine/train/restart';
import { DEFAULT_SEGMENTATION_LOSS } from '../engine/train/loss';
import { fakeQuantTransform } from '../engine/baselines/quantize';
import { overlayImage, OVERLAY_LEGEND, type OverlayData } from '../engine/train/overlay';
import { throttledProgress, type ExecutionContext } from './context';
import type { TrainedModel } from './models';
import { markdownOutput, newOutputId, OVERLAY_MIME, plotOutput } from '../protocol/outputs';
import { UserInputError } from './user-errors';
import { LossCurve, lossPlot } from './views/training';
import type { Restart } from '../engine/train/restart';
import { checkpointOf, removeCheckpoints, restoredNote, restoreTraining, resumedNote, storeTraining, trainingCacheKey } from './training-cache';

export const DEFAULT_EPOCHS = 20;
/** What every network trained from scratch shares, recorded in calibration plans. */
export const TRAINING_RECIPE = `Adam, ${DEFAULT_SEGMENTATION_LOSS}, flips and 90-degree rotations, He-normal ReLU kernels, output bias at the foreground prior, up to ${DEFAULT_MAX_RESTARTS} restarts of a collapsed run`;
/** Attempt k of a collapsed run is built with initialisation seed seed + (k - 1) * this stride. */
export const INITIALISATION_SEED_STRIDE = 1000;

export interface TrainRequest {
  choice: NetworkChoice;
  dataset: string;
  alpha: number;
  epochs?: number;
  batch?: number;
  learningRate?: number;
  seed?: number;
  patience?: number;
  name: string;
  /** Show the live loss plot (default true). */
  livePlot?: boolean;
  /** Train on this subset of the training split (training-set-size study). */
  trainSubset?: (train: SegmentationSample[]) => SegmentationSample[];
  label?: string;
  /**
   * Restore from and store into the training cache (default true). Calibration runs keep their
   * own record (the calibration file resumes them), and benchmarks must measure training.
   */
  useCache?: boolean;
  /**
   * Checkpoint every epoch and resume from the last checkpoint even when the cache is not used
   * (default: as useCache). Calibration runs do this: a run interrupted by a crash, a kill or a
   * reload continues where it stopped, while the calibration file stays the record of finished
   * runs.
   */
  checkpoints?: boolean;
  /**
   * Train with the kernels fake-quantized to this many bits per output channel in every forward
   * and backward pass (quantization-aware training from scratch, straight-through gradients);
   * the network ends with quantized kernels and is evaluated so. Absent: float training.
   */
  quantizationBits?: number;
  /**
   * Patch networks (dcnn, dccn): train on the share r of the balanced patch pool of the training
   * images, N_tr = max(1, round(r x N_p)) patches (../engine/data/patch-pool.ts); default 1.
   */
  patchFraction?: number;
}

/** The held-out split of a dataset for a seed. */
export async function datasetSplit(context: ExecutionContext, dataset: string, seed: number) {
  const samples = await context.session.samplesOf(dataset, context.signal, throttledProgress(context, `loading ${dataset}`));
  return splitTrainTest(samples, seed);
}

export async function trainNetwork(context: ExecutionContext, request: TrainRequest): Promise<TrainedModel> {
  await context.session.ensureBackend();
  const seed = request.seed ?? 1;
  const split = await datasetSplit(context, request.dataset, seed);
  const first = split.train[0]!;
  // the network's input: a patch network's patch, the dataset's patch when it trains on patches, else the whole image
  const patchPx = NETWORKS[request.choice.network].patchPx ?? context.session.dataset(request.dataset).patchPx;
  const inputShape = { heightPx: patchPx ?? first.heightPx, widthPx: patchPx ?? first.widthPx, channels: first.channels };
  checkInputSize(request.choice.network, inputShape.heightPx, inputShape.widthPx);
  const train = request.trainSubset ? request.trainSubset(split.train) : split.train;
  const graph = NETWORKS[request.choice.network].graph(request.alpha, request.choice.squeeze);
  // a patch network trains on balanced patches: half of them are cells
  const prior = isPatchNetwork(request.choice.network) ? 0.5 : foregroundFraction(train);
  const label = request.label ?? `${request.name}: ${networkLabel(request.choice)} alpha ${request.alpha} on ${request.dataset}`;
  // attempt k > 1 starts from another initialisation; data, split and crops stay those of `seed`
  const build = (attempt: number) => {
    const model = buildNetwork(request.choice.network, {
      alpha: request.alpha,
      inputHeightPx: inputShape.heightPx,
      inputWidthPx: inputShape.widthPx,
      inputChannels: inputShape.channels,
      squeeze: request.choice.squeeze,
      seed: seed + INITIALISATION_SEED_STRIDE * (attempt - 1),
    });
    initialiseOutputBiasToPrior(model, graph, prior);
    return model;
  };
  const params = describeModel(request.choice, request.alpha, inputShape).params;
  const entryOf = (model: tf.LayersModel, result: TrainResult, restarts: Restart[]): TrainedModel => ({
    name: request.name,
    choice: request.choice,
    alpha: request.alpha,
    model,
    graph,
    dataset: request.dataset,
    seed,
    inputShape,
    params,
    kernelBits: request.quantizationBits ?? 32,
    train: result,
    restarts,
    origin: 'trained',
    provenance: { statements: context.statementText ? [context.statementText] : [] },
    ...(cacheKey ? { trainingKey: cacheKey } : {}),
  });
  const options = {
    epochs: request.epochs ?? DEFAULT_EPOCHS,
    batchSize: request.batch ?? 4,
    learningRate: request.learningRate,
    seed,
    patience: request.patience ?? 0,
    auxiliaryLossWeights: NETWORKS[request.choice.network].auxiliaryLossWeights,
    ...(isPatchNetwork(request.choice.network) ? { patchFraction: request.patchFraction ?? 1 } : {}),
  };
  const useCache = request.useCache !== false;
  const trainingKey = !useCache && request.checkpoints !== true ? undefined : await trainingCacheKey(context, {
    dataset: request.dataset,
    // a subset (the training-set-size study) is part of what determines the training
    trainIds: request.trainSubset ? train.map((s) => s.id) : null,
    network: request.choice,
    alpha: request.alpha,
    options: { ...options, learningRate: options.learningRate ?? null, auxiliaryLossWeights: options.auxiliaryLossWeights ?? null },
    recipe: TRAINING_RECIPE,
    // float trainings keep the keys they had before quantization-aware training existed
    ...(request.quantizationBits !== undefined ? { quantizationBits: request.quantizationBits } : {}),
  });
  const cacheKey = useCache ? trainingKey : undefined;
  const restored = cacheKey ? await restoreTraining(context, cacheKey) : undefined;
  if (restored) {
    const entry = { ...entryOf(restored.model, restored.stored.train, restored.stored.restarts), evaluation: restored.stored.evaluation, latency: restored.stored.latency, restoredFrom: restored.storedAt };
    const note = `${label}: ${restoredNote(restored.storedAt, restored.stored.train.trainMs)} (training cache; \`fresh\` on the statement trains again)`;
    if (request.livePlot !== false) context.emit({ type: 'output', output: markdownOutput(note) });
    else context.emit({ type: 'log', stream: 'stderr', text: `${note}\n` });
    return entry;
  }
  if (trainingKey && context.freshTraining) await removeCheckpoints(context, trainingKey);
  const { model, result, collapsed } = await trainWithRestarts(
    build,
    async (model, attempt) => {
      const attemptLabel = attempt > 1 ? `${label} (attempt ${attempt})` : label;
      const onResume = (resumed: { fromEpoch: number; savedAt: string }) => {
        const note = `${attemptLabel}: ${resumedNote(resumed, options.epochs)}`;
        if (request.livePlot !== false) context.emit({ type: 'output', output: markdownOutput(note) });
        else context.emit({ type: 'log', stream: 'stderr', text: `${note}\n` });
      };
      const checkpoint = trainingKey ? { checkpoint: checkpointOf(context, trainingKey, attempt), onResume } : {};
      const quantized = request.quantizationBits !== undefined ? { weightTransform: fakeQuantTransform(model, request.quantizationBits) } : {};
      return runTraining(context, model, train, { ...options, ...checkpoint, ...quantized }, attemptLabel, request.livePlot !== false);
    },
    {
      onRestart: (restart, next, attempts) =>
        context.emit({ type: 'log', stream: 'stderr', text: `${label}: the run collapsed to a constant prediction: ${restart.reason}; training again from another initialisation (attempt ${next} of ${attempts})\n` }),
    },
  );
  try {
    if (result.cancelled) throw new DOMException('interrupted', 'AbortError');
    if (result.stopReason && !result.stoppedEarly) {
      context.emit({ type: 'log', stream: 'stderr', text: `${label}: ${result.stopReason}; kept the weights of epoch ${result.bestEpoch}\n` });
    }
    if (collapsed) {
      context.emit({ type: 'log', stream: 'stderr', text: `${label}: still a constant prediction after ${result.restarts.length + 1} initialisations (${collapsed}); its metrics are those of that constant: try a lower learning rate (lr), more epochs or a larger alpha\n` });
    }
    const entry = entryOf(model, result, result.restarts);
    if (result.epochsRun === 0) throw new Error(`${label}: training stopped before the first epoch ended: ${result.stopReason ?? 'unknown reason'}`);
    await evaluateOnTest(context, entry, split.test);
    if (cacheKey) await storeTraining(context, cacheKey, model, { params, train: result, restarts: result.restarts, evaluation: entry.evaluation!, latency: entry.latency }, label);
    if (trainingKey) await removeCheckpoints(context, trainingKey);
    return entry;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Runs the training loop with progress messages and, when `livePlot`, a loss plot that is one
 * output updated in place. When the images are larger than the model's (square) input, it
 * trains on random crops of the input's size (patches).
 */
export async function runTraining(
  context: ExecutionContext,
  model: tf.LayersModel,
  train: SegmentationSample[],
  options: Omit<TrainOptions, 'signal' | 'onProgress'>,
  label: string,
  livePlot = true,
): Promise<TrainResult> {
  const backend = await context.session.ensureBackend();
  const curve = new LossCurve();
  const plotId = newOutputId('loss');
  let lastPlot = 0;
  let plotShown = false;
  const showPlot = (final: boolean) => {
    if (!livePlot) return;
    const now = Date.now();
    if (!final && now - lastPlot < 1000) return;
    lastPlot = now;
    const output = plotOutput(lossPlot(`Training ${label}`, curve.points, `backend ${backend.summary}`), `Training ${label}: ${curve.points.length} loss values`, plotId);
    context.emit({ type: plotShown ? 'update' : 'output', output });
    plotShown = true;
  };
  const input = modelInputSize(model);
  const patched = train.some((s) => s.heightPx !== input.heightPx || s.widthPx !== input.widthPx);
  const result = await trainModel(model, train, {
    ...options,
    ...(patched ? { patchPx: input.heightPx } : {}),
    signal: context.signal,
    onProgress: (progress: TrainProgress) => {
      curve.add(progress);
      const left = progress.msLeft > 0 ? `, about ${Math.ceil(progress.msLeft / 1000)} s left` : '';
      context.emit({
        type: 'progress',
        message: `${label}: epoch ${progress.epoch}/${progress.epochs}, step ${progress.step}/${progress.stepsPerEpoch}, loss ${progress.loss.toFixed(4)}${left}`,
        fraction: ((progress.epoch - 1) * progress.stepsPerEpoch + progress.step) / (progress.epochs * progress.stepsPerEpoch),
      });
      showPlot(false);
    },
  });
  showPlot(true);
  return result;
}

/**
 * Throws a UserInputError when a dataset's images cannot go through a model (other channels, or
 * smaller than its input), saying what to do.
 */
export function checkModelTakes(entry: TrainedModel, dataset: string, samples: readonly SegmentationSample[]): void {
  // a patch network predicts images of any size (reflect-padded), so only the channels must match
  const problem = isPatchNetwork(entry.choice.network)
    ? samples.filter((s) => s.channels !== entry.inputShape.channels).map((s) => `image ${s.id} has ${s.channels} channel(s), the model takes ${entry.inputShape.channels}`)[0]
    : inputMismatch(entry.inputShape, samples);
  if (!problem) return;
  const { heightPx, widthPx, channels } = entry.inputShape;
  throw new UserInputError(
    `model ${entry.name} takes ${heightPx}x${widthPx}x${channels} images (larger ones tile by tile) but in dataset ${dataset} ${problem}; define the dataset with size ${Math.max(heightPx, widthPx)} or larger${channels === 3 ? ' and RGB images' : ' and gray images'}`,
  );
}

/** Evaluates on samples and measures latency; stores both on the entry. */
export async function evaluateOnTest(context: ExecutionContext, entry: TrainedModel, test: SegmentationSample[], keepProbabilities = false) {
  context.emit({ type: 'progress', message: `${entry.name}: evaluating on ${test.length} held-out images` });
  entry.evaluation = await evaluateModel(entry.model, test, { signal: context.signal, keepProbabilities });
  entry.latency = await measureLatency(entry.model, { runs: 10, warmUp: 2 });
  return entry.evaluation;
}

/** An overlay output of the first few test images (paper Fig. 5). */
export async function overlayOutput(entry: TrainedModel, test: SegmentationSample[], count = 4) {
  const shown = test.slice(0, count);
  const evaluation = await evaluateModel(entry.model, shown, { keepProbabilities: true });
  const images = [];
  for (const [i, sample] of shown.entries()) images.push(await overlayImage(sample, evaluation.probabilities![i]!, sample.id));
  const data: OverlayData = { title: `${entry.name} on held-out images of ${entry.dataset}`, images, legend: OVERLAY_LEGEND };
  return { id: newOutputId('overlay'), items: [{ mime: OVERLAY_MIME, data }, { mime: 'text/markdown', data: `Overlays of ${entry.name} (open in CC-Net Studio to see them)` }] };
}

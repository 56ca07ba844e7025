/**
 * One independent training run (a calibration's (dataset, alpha, seed) run), the same whether it
 * runs in the calibrating kernel or in a worker kernel: the dataset is (re)defined from the
 * indexed folder the caller sent unless the session already holds it with the same files and
 * options, the network is trained and evaluated on the seed's held-out images, and the model is
 * disposed. Same seed, data and recipe give the same numbers on the same backend.
 */
import { indexDataset, type DatasetIndex } from '../engine/data/dataset';
import type { SegmentationSample } from '../engine/data/samples';
import { parseNetworkId } from '../engine/models/registry';
import type { ExecutionContext } from './context';
import type { TrainRunParams, TrainRunResult } from '../protocol/protocol';
import { TRAINING_RECIPE, trainNetwork } from './training';

/** What a worker needs to index a dataset the way the calling kernel did. */
export function datasetOfIndex(index: DatasetIndex): TrainRunParams['dataset'] {
  return {
    name: index.name,
    root: index.root,
    imagesGlob: index.imagesGlob,
    masksGlob: index.masksGlob,
    ...(index.sizePx ? { sizePx: index.sizePx } : {}),
    ...(index.patchPx ? { patchPx: index.patchPx } : {}),
    // the resolved factor (also for scale auto), so that a worker prepares the images the same way
    ...(index.scale ? { scale: index.scale } : {}),
  };
}

function sameDataset(index: DatasetIndex | undefined, wanted: TrainRunParams['dataset']): boolean {
  return index !== undefined && JSON.stringify(datasetOfIndex(index)) === JSON.stringify(wanted);
}

/** The samples of these ids, in this order (a worker rebuilds the caller's subset of the same split). */
function subsetById(train: SegmentationSample[], ids: readonly string[], dataset: string): SegmentationSample[] {
  const byId = new Map(train.map((s) => [s.id, s]));
  return ids.map((id) => {
    const sample = byId.get(id);
    if (!sample) throw new Error(`dataset ${dataset} has no image ${id} in this seed's training split (the worker sees other files than the kernel)`);
    return sample;
  });
}

export async function runTrainRun(params: Omit<TrainRunParams, 'executionId'>, context: ExecutionContext): Promise<TrainRunResult> {
  const { dataset } = params;
  if (!sameDataset(context.session.datasets.get(dataset.name), dataset)) {
    const index = await indexDataset({ name: dataset.name, path: dataset.root, imagesGlob: dataset.imagesGlob, masksGlob: dataset.masksGlob, sizePx: dataset.sizePx, patchPx: dataset.patchPx, scale: dataset.scale });
    context.session.datasets.set(dataset.name, index);
    context.session.datasetChanged(dataset.name);
  }
  const entry = await trainNetwork(params.fresh ? { ...context, freshTraining: true } : context, {
    choice: parseNetworkId(params.network),
    dataset: dataset.name,
    alpha: params.width,
    epochs: params.epochs,
    batch: params.batch,
    learningRate: params.learningRate,
    seed: params.seed,
    patience: params.patience,
    name: params.label,
    livePlot: false,
    label: params.label,
    ...(params.patchFraction !== undefined ? { patchFraction: params.patchFraction } : {}),
    ...(params.trainIds ? { trainSubset: (train: SegmentationSample[]) => subsetById(train, params.trainIds!, dataset.name) } : {}),
    // the calibration file is the record of its runs (and resumes them); a study's runs go to the cache its kernel restores from
    useCache: params.useCache ?? false,
    // an interrupted run resumes from its last epoch's checkpoint when it runs again
    checkpoints: true,
  });
  try {
    const summary = entry.evaluation!.summary;
    return {
      params: entry.params,
      metrics: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, v.mean])),
      trainMs: entry.train!.trainMs,
      epochsRun: entry.train!.epochsRun,
      restarts: entry.restarts?.length ?? 0,
      backend: (await context.session.ensureBackend()).summary,
      recipe: TRAINING_RECIPE,
      workerPid: process.pid,
    };
  } finally {
    entry.model.dispose();
  }
}

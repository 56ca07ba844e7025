/**
 * One independent training run (a calibration's (dataset, alpha, seed) run), the same whether it
 * runs in the calibrating kernel or in a worker kernel: the dataset is (re)defined from the
 * indexed folder the caller sent unless the session already holds it with the same files and
 * options, the network is trained and evaluated on the seed's held-out images, and the model is
 * disposed. Same seed, data and recipe give the same numbers on the same backend.
 */
import { indexDataset, type DatasetIndex } from '../engine/data/dataset';
import { parseNetworkId } from '../engine/models/registry';
import type { ExecutionContext } from './context';
import type { TrainRunParams, TrainRunResult } from './protocol';
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

export async function runTrainRun(params: Omit<TrainRunParams, 'executionId'>, context: ExecutionContext): Promise<TrainRunResult> {
  const { dataset } = params;
  if (!sameDataset(context.session.datasets.get(dataset.name), dataset)) {
    const index = await indexDataset({ name: dataset.name, path: dataset.root, imagesGlob: dataset.imagesGlob, masksGlob: dataset.masksGlob, sizePx: dataset.sizePx, patchPx: dataset.patchPx, scale: dataset.scale });
    context.session.datasets.set(dataset.name, index);
    context.session.datasetChanged(dataset.name);
  }
  const entry = await trainNetwork(context, {
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
    // the calibration file is the record of its runs (and resumes them); each run trains
    useCache: false,
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

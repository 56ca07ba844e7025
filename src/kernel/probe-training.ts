/**
 * The probe of a new dataset (../engine/ccnet/probe.ts): its base and the calibration's narrowest
 * width trained for the calibration's probe epochs, with the calibration's seeds, batch, learning
 * rate and patience, evaluated on the seed's held-out images, as the calibration's probe runs
 * were. The trainings go through the training cache, so running the cell again costs seconds.
 */
import type { CalibrationPlan, CalibrationProbe } from '../engine/ccnet/calibration-file';
import { datasetProbes, type DatasetProbe } from '../engine/ccnet/probe';
import { formatAlpha } from '../engine/ccnet/select';
import type { NetworkChoice } from '../engine/models/registry';
import type { ExecutionContext } from './context';
import { trainNetwork } from './training';

export async function probeNewDataset(context: ExecutionContext, choice: NetworkChoice, dataset: string, plan: CalibrationPlan, probe: CalibrationProbe): Promise<DatasetProbe> {
  const runs = [];
  for (const seed of plan.seeds) {
    for (const alpha of [1, probe.alpha]) {
      context.signal.throwIfAborted();
      const label = `probe of ${dataset}: alpha ${formatAlpha(alpha)} seed ${seed}, ${probe.epochs} epochs`;
      const entry = await trainNetwork(context, {
        choice,
        dataset,
        alpha: plan.baseWidth * alpha,
        epochs: probe.epochs,
        batch: plan.batch,
        learningRate: plan.learningRate,
        seed,
        patience: plan.patience ?? 0,
        name: `probe_${dataset}`,
        label,
        livePlot: false,
      });
      try {
        const f1 = entry.evaluation!.summary.f1!.mean;
        const iou = entry.evaluation!.summary.iou!.mean;
        runs.push({ dataset, alpha, seed, params: entry.params, f1, iou, trainMs: entry.train?.trainMs ?? 0 });
      } finally {
        entry.model.dispose();
      }
    }
  }
  return datasetProbes(runs)[0]!;
}

/**
 * The ensemble behind suggestive annotation (see statements/suggest.ts): M networks trained on
 * bootstrap samples of the labelled images (through the training cache), optionally quantized,
 * each predicting every pool image; what they give is each pool image's uncertainty (mean
 * per-pixel variance), the per-pixel variance and mean maps, and their encoder descriptors.
 */
import { quantizeModel } from '../engine/baselines/quantize';
import { concatenatedUnitDescriptors, encoderDescriptors } from '../engine/annotate/descriptors';
import { EnsembleVarianceAccumulator, imageUncertainty } from '../engine/annotate/uncertainty';
import type { SegmentationSample } from '../engine/data/samples';
import type { NetworkChoice } from '../engine/models/registry';
import { predictProbabilityMaps } from '../engine/train/predict';
import { SeededRandom } from '../engine/util/random';
import type { ExecutionContext } from './context';
import { trainNetwork } from './training';

/** A bootstrap sample (draw with replacement, as many as there are) of the training images. */
function bootstrapSample<T>(items: readonly T[], seed: number): T[] {
  const random = new SeededRandom(seed * 7919 + 17);
  return Array.from({ length: items.length }, () => items[random.integer(0, items.length - 1)]!);
}

export interface EnsembleRequest {
  choice: NetworkChoice;
  dataset: string;
  alpha: number;
  epochs: number;
  learningRate?: number;
  members: number;
  bits?: number;
  /** Member m's seed (initialisation and its bootstrap draw). */
  seedOf: (member: number) => number;
  /** The labelled images member m draws its bootstrap sample from (given the training split of its seed). */
  labelledOf: (train: SegmentationSample[], member: number) => SegmentationSample[];
  pool: readonly SegmentationSample[];
  label: (member: number) => string;
}

export interface EnsembleScores {
  uncertainty: number[];
  descriptors: Float32Array[];
  accumulator: EnsembleVarianceAccumulator;
  memberF1: number[];
}

export async function scoreWithEnsemble(context: ExecutionContext, request: EnsembleRequest): Promise<EnsembleScores> {
  const accumulator = new EnsembleVarianceAccumulator();
  const descriptorsPerMember: Float32Array[][] = [];
  const memberF1: number[] = [];
  for (let member = 1; member <= request.members; member++) {
    const seed = request.seedOf(member);
    const entry = await trainNetwork(context, {
      choice: request.choice,
      dataset: request.dataset,
      alpha: request.alpha,
      epochs: request.epochs,
      learningRate: request.learningRate,
      seed,
      name: `ensemble_member_${member}`,
      livePlot: false,
      trainSubset: (train) => bootstrapSample(request.labelledOf(train, member), seed),
      label: request.label(member),
    });
    try {
      if (request.bits !== undefined) quantizeModel(entry.model, request.bits);
      memberF1.push(entry.evaluation!.summary.f1.mean);
      context.emit({ type: 'progress', message: `${request.label(member)}: predicting ${request.pool.length} pool images` });
      accumulator.addMember(await predictProbabilityMaps(entry.model, request.pool, { signal: context.signal }));
      descriptorsPerMember.push(await encoderDescriptors(entry.model, request.pool, { signal: context.signal }));
    } finally {
      entry.model.dispose();
    }
  }
  return {
    uncertainty: request.pool.map((_, i) => imageUncertainty(accumulator.variance(i))),
    descriptors: concatenatedUnitDescriptors(descriptorsPerMember),
    accumulator,
    memberF1,
  };
}

/**
 * `study quantization NETWORK on DATASET bits B, B... fraction F, F... [seeds S] [epochs E]
 * [alpha A] [lr X]`: quantization against overfitting (Xu et al., CVPR 2018, Sec. 3.2: training
 * with quantized weights regularises a network trained on few images). For each seed and each
 * fraction F of the training split (a seeded draw of round(F x N) images, at least 1, the same
 * draw for every B), the network is trained from scratch in float (B = 32) or with its kernels
 * fake-quantized to B bits per output channel in every forward and backward pass
 * (quantization-aware training, straight-through gradients), and evaluated, quantized, on the
 * seed's held-out images. Reported: held-out F1 (Dice) and IoU, mean and standard error
 * (sample std / sqrt(seeds)) over seeds, the last epoch's training loss, and each network's size
 * as the bytes of the model.onnx its export writes.
 */
import { fractionSubset, splitTrainTest } from '../../engine/data/split';
import { checkSegmentationNetwork, networkLabel, parseNetworkId } from '../../engine/models/registry';
import { summarize } from '../../engine/util/stats';
import type { ExecutionContext } from '../context';
import { onnxBytesOf } from '../models';
import { formatNumber, jsonItem, markdownOutput, markdownTable, plotOutput } from '../../protocol/outputs';
import { trainNetwork } from '../training';
import { UserInputError } from '../user-errors';
import { meanPlot } from '../views/mean-plot';

export interface QuantizationStudyArgs {
  network: string;
  dataset: string;
  bits: number[];
  fractions: number[];
  seeds?: number;
  epochs?: number;
  alpha?: number;
  learningRate?: number;
}

export async function runQuantizationStudy(args: QuantizationStudyArgs, context: ExecutionContext): Promise<void> {
  const choice = parseNetworkId(args.network);
  checkSegmentationNetwork(choice.network, 'study quantization (it reports the ONNX size)');
  if (args.fractions.some((f) => !(f > 0 && f <= 1))) throw new UserInputError('every fraction must be above 0 and at most 1 (a share of the training images)');
  if (args.bits.some((b) => !(Number.isInteger(b) && ((b >= 2 && b <= 16) || b === 32)))) throw new UserInputError(`bits must be whole numbers from 2 to 16, or 32 for float training, not ${args.bits.join(', ')}`);
  const seeds = args.seeds ?? 1;
  const epochs = args.epochs ?? 20;
  const alpha = args.alpha ?? 1 / 16;
  const samples = await context.session.samplesOf(args.dataset, context.signal);
  const runs: { seed: number; fraction: number; bits: number; trainImages: number; f1: number; iou: number; trainLoss: number; onnxBytes: number }[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { train } = splitTrainTest(samples, seed);
    for (const fraction of args.fractions) {
      const subset = fractionSubset(train, fraction, seed);
      const count = subset.length;
      for (const bits of args.bits) {
        const entry = await trainNetwork(context, {
          choice,
          dataset: args.dataset,
          alpha,
          epochs,
          learningRate: args.learningRate,
          seed,
          name: 'quantization_study',
          livePlot: false,
          trainSubset: () => subset,
          ...(bits < 32 ? { quantizationBits: bits } : {}),
          label: `seed ${seed}/${seeds}, fraction ${fraction} (${count} images), ${bits < 32 ? `${bits}-bit quantization-aware` : 'float'}`,
        });
        const summary = entry.evaluation!.summary;
        runs.push({ seed, fraction, bits, trainImages: count, f1: summary.f1.mean, iou: summary.iou.mean, trainLoss: entry.train!.history.at(-1)?.loss ?? Number.NaN, onnxBytes: onnxBytesOf(entry) });
        entry.model.dispose();
      }
    }
  }
  const rows = args.fractions.flatMap((fraction) =>
    args.bits.map((bits) => {
      const group = runs.filter((r) => r.fraction === fraction && r.bits === bits);
      const stat = (values: number[]) => {
        const s = summarize(values);
        return { mean: s.mean, standardError: s.count > 1 ? s.std / Math.sqrt(s.count) : 0 };
      };
      return { fraction, bits, trainImages: group[0]!.trainImages, seeds: group.length, f1: stat(group.map((g) => g.f1)), iou: stat(group.map((g) => g.iou)), trainLoss: stat(group.map((g) => g.trainLoss)), onnxBytes: group[0]!.onnxBytes };
    }),
  );
  const label = (bits: number) => (bits < 32 ? `${bits}-bit` : 'float');
  const table = markdownTable(
    ['fraction', 'training images', 'weights', 'F1 (± s.e.)', 'IoU (± s.e.)', 'last training loss', 'model.onnx (bytes)'],
    rows.map((r) => [String(r.fraction), r.trainImages, label(r.bits), `${formatNumber(r.f1.mean, 3)} ± ${formatNumber(r.f1.standardError, 2)}`, `${formatNumber(r.iou.mean, 3)} ± ${formatNumber(r.iou.standardError, 2)}`, formatNumber(r.trainLoss.mean, 3), r.onnxBytes]),
  );
  const description = `Quantization study of ${networkLabel(choice)} alpha ${formatNumber(alpha, 4)} on ${args.dataset}: float training against quantization-aware training at ${args.bits.filter((b) => b < 32).join(', ')} bits, on ${args.fractions.join(', ')} of the training images, ${seeds} seed(s), ${epochs} epochs; F1 and IoU of the (quantized) networks on each seed's held-out images.`;
  context.emit({ type: 'output', output: markdownOutput(`${description}\n\n${table}`, [jsonItem({ format: 'ccnet-quantization-study', network: args.network, dataset: args.dataset, alpha, epochs, seeds, rows, runs })]) });
  const points = rows.map((r) => ({ x: r.fraction, series: label(r.bits), mean: r.f1.mean, standardError: r.f1.standardError }));
  context.emit({
    type: 'output',
    output: plotOutput(
      meanPlot(`Held-out F1 against the share of training images on ${args.dataset}`, points, { x: 'share of the training images', y: 'F1 (Dice), held-out', series: 'weights' }),
      table,
    ),
  });
}

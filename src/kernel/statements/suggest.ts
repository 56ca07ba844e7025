/**
 * `suggest K from "POOL" using DATASET [network N] [alpha A] [ensemble M] [bits B] [epochs E]
 * [lr X] [to "FILE"] [fresh]`: which K images of an unlabelled pool to annotate next, by
 * suggestive annotation (Yang et al., MICCAI 2017) with, optionally, quantized networks (Xu et
 * al., CVPR 2018).
 *
 * M networks are trained on bootstrap samples of the dataset's training images (member m: seed
 * m, a draw with replacement of as many images as the training split holds, so members differ in
 * data and initialisation), through the training cache; with `bits B` each member's kernels are
 * then quantized to B bits per output channel (post-training). Every pool image is predicted by
 * every member; its uncertainty is the mean per-pixel variance of their probabilities
 * (../../engine/annotate/uncertainty.ts), its descriptor the members' encoder descriptors
 * (../../engine/annotate/descriptors.ts); the K suggestions are the greedy max-cover choice among
 * the 2K most uncertain (../../engine/annotate/select.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadPool } from '../../engine/annotate/pool-images';
import { DEFAULT_CANDIDATE_FACTOR, suggestImages } from '../../engine/annotate/select';
import { UNCERTAINTY_LEGEND, uncertaintyOverlay } from '../../engine/annotate/uncertainty-overlay';
import { checkSegmentationNetwork, networkLabel, parseNetworkId } from '../../engine/models/registry';
import { throttledProgress, type ExecutionContext } from '../context';
import { formatNumber, jsonItem, markdownOutput, markdownTable, newOutputId, OVERLAY_MIME, warningOutput } from '../../protocol/outputs';
import { UserInputError } from '../user-errors';
import { scoreWithEnsemble } from '../ensemble-scoring';

export interface SuggestArgs {
  count: number;
  pool: string;
  dataset: string;
  network?: string;
  alpha?: number;
  ensemble?: number;
  bits?: number;
  epochs?: number;
  learningRate?: number;
  to?: string;
}

export const DEFAULT_ENSEMBLE = 4;
export const DEFAULT_SUGGEST_ALPHA = 1 / 16;
export const DEFAULT_SUGGEST_EPOCHS = 10;
/** Overlays shown: the first suggestions. */
const OVERLAYS_SHOWN = 8;
/** Rows of the whole-pool table. */
const POOL_ROWS_SHOWN = 30;

export async function runSuggest(args: SuggestArgs, context: ExecutionContext): Promise<void> {
  const choice = parseNetworkId(args.network ?? 'unet');
  checkSegmentationNetwork(choice.network, 'suggest');
  const members = args.ensemble ?? DEFAULT_ENSEMBLE;
  if (members < 2) throw new UserInputError(`ensemble ${members}: disagreement needs at least 2 networks (the papers use 4 or 5)`);
  const alpha = args.alpha ?? DEFAULT_SUGGEST_ALPHA;
  const index = context.session.dataset(args.dataset);
  const labelled = await context.session.samplesOf(args.dataset, context.signal, throttledProgress(context, `loading ${args.dataset}`));
  const poolFolder = resolve(context.baseDir, args.pool);
  const pool = await loadPool(poolFolder, { sizePx: index.sizePx, scale: index.scale, channels: labelled[0]!.channels }, { signal: context.signal, onProgress: throttledProgress(context, 'loading the pool') });
  if (pool.skipped.length > 0) context.emit({ type: 'output', output: warningOutput(pool.skipped.slice(0, 5).map((s) => `skipped ${s.path}: ${s.reason}`).concat(pool.skipped.length > 5 ? [`and ${pool.skipped.length - 5} more unreadable files`] : [])) });
  const tooSmall = pool.images.find((image) => index.patchPx !== undefined && (image.widthPx < index.patchPx || image.heightPx < index.patchPx));
  if (tooSmall) throw new UserInputError(`pool image ${tooSmall.path} is ${tooSmall.widthPx}x${tooSmall.heightPx} at the dataset's working scale, smaller than its ${index.patchPx} px patch; use larger images or a smaller patch`);

  const { uncertainty, descriptors, accumulator, memberF1 } = await scoreWithEnsemble(context, {
    choice,
    dataset: args.dataset,
    alpha,
    epochs: args.epochs ?? DEFAULT_SUGGEST_EPOCHS,
    learningRate: args.learningRate,
    members,
    bits: args.bits,
    seedOf: (member) => member,
    labelledOf: (train) => train,
    pool: pool.images,
    label: (member) => `ensemble member ${member}/${members} (${networkLabel(choice)} alpha ${formatNumber(alpha, 4)}, bootstrap sample of ${args.dataset})`,
  });
  const suggestions = suggestImages(uncertainty, descriptors, args.count);
  const chosen = new Map(suggestions.map((s) => [s.index, s]));
  const byUncertainty = pool.images.map((image, i) => ({ image, i, u: uncertainty[i]! })).sort((a, b) => b.u - a.u);
  const candidateCount = Math.min(pool.images.length, Math.max(suggestions.length, Math.round(DEFAULT_CANDIDATE_FACTOR * suggestions.length)));

  if (args.to) {
    const listPath = resolve(context.baseDir, args.to);
    await mkdir(dirname(listPath), { recursive: true });
    await writeFile(listPath, suggestions.map((s) => pool.images[s.index]!.path).join('\n') + '\n');
  }
  const quantized = args.bits !== undefined ? `, kernels quantized to ${args.bits} bits per output channel` : '';
  const summary =
    `Suggested **${suggestions.length}** of ${pool.images.length} pool images to annotate next: the greedy choice that best covers the pool (cosine similarity of encoder descriptors) among the ${candidateCount} most uncertain. ` +
    `Ensemble: ${members} ${networkLabel(choice)} networks at alpha ${formatNumber(alpha, 4)} on bootstrap samples of ${args.dataset}'s training images${quantized} (held-out F1 of the members: ${memberF1.map((f) => formatNumber(f, 3)).join(', ')}). ` +
    `Uncertainty: the mean per-pixel variance of the members' probabilities (at most 0.25).` +
    (args.to ? ` The list is in \`${resolve(context.baseDir, args.to)}\`.` : '');
  const suggestionTable = markdownTable(
    ['rank', 'image', 'uncertainty', 'pool rank by uncertainty', 'coverage gain'],
    suggestions.map((s) => [s.rank, pool.images[s.index]!.id, formatNumber(s.uncertainty, 4), byUncertainty.findIndex((b) => b.i === s.index) + 1, formatNumber(s.coverageGain, 4)]),
  );
  const poolTable = markdownTable(
    ['pool rank', 'image', 'uncertainty', 'suggested'],
    byUncertainty.slice(0, POOL_ROWS_SHOWN).map((b, rank) => [rank + 1, b.image.id, formatNumber(b.u, 4), chosen.has(b.i) ? `yes (${chosen.get(b.i)!.rank})` : '']),
  );
  const json = {
    format: 'ccnet-suggestions',
    dataset: args.dataset,
    pool: pool.folder,
    network: choice.network,
    alpha,
    ensemble: members,
    ...(args.bits !== undefined ? { bits: args.bits } : {}),
    memberF1,
    suggestions: suggestions.map((s) => ({ rank: s.rank, file: pool.images[s.index]!.path, uncertainty: s.uncertainty, coverageGain: s.coverageGain })),
    uncertainty: pool.images.map((image, i) => ({ file: image.path, uncertainty: uncertainty[i]! })),
  };
  context.emit({
    type: 'output',
    output: markdownOutput(`${summary}\n\n${suggestionTable}\n\nThe pool by uncertainty${pool.images.length > POOL_ROWS_SHOWN ? ` (the first ${POOL_ROWS_SHOWN} of ${pool.images.length})` : ''}:\n\n${poolTable}`, [jsonItem(json)]),
  });
  const shown = suggestions.slice(0, OVERLAYS_SHOWN);
  const images = [];
  for (const s of shown) images.push(await uncertaintyOverlay(pool.images[s.index]!, accumulator.variance(s.index), accumulator.mean(s.index), `${s.rank}. ${pool.images[s.index]!.id}`, { uncertainty: s.uncertainty }));
  context.emit({
    type: 'output',
    output: {
      id: newOutputId('overlay'),
      items: [
        { mime: OVERLAY_MIME, data: { title: `Where the ensemble disagrees on the suggested images${suggestions.length > shown.length ? ` (the first ${shown.length})` : ''}`, images, legend: UNCERTAINTY_LEGEND } },
        { mime: 'text/markdown', data: `Disagreement overlays of ${shown.length} suggested images (open in CC-Net Studio to see them)` },
      ],
    },
  });
}

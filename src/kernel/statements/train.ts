/** `train`, `evaluate`, `model` and `export`: one network at a time. */
import { describeModel, NETWORKS, parseNetworkId } from '../../engine/models/registry';
import { splitTrainTest } from '../../engine/data/split';
import type { ExecutionContext } from '../context';
import type { TrainedModel } from '../models';
import { jsonItem, markdownOutput, markdownTable, formatNumber } from '../../protocol/outputs';
import { checkModelTakes, datasetSplit, evaluateOnTest, overlayOutput, trainNetwork } from '../training';
import { modelJson, modelsTable } from '../views/training';

export interface TrainArgs {
  network: string;
  dataset: string;
  alpha?: number;
  epochs?: number;
  batch?: number;
  learningRate?: number;
  seed?: number;
  patience?: number;
  name?: string;
}

export async function runTrain(args: TrainArgs, context: ExecutionContext): Promise<void> {
  const choice = parseNetworkId(args.network);
  context.session.dataset(args.dataset);
  const name = args.name ?? `${args.network.replace(/-/g, '_')}_${args.dataset}`;
  const entry = await trainNetwork(context, {
    choice,
    dataset: args.dataset,
    alpha: args.alpha ?? 1,
    epochs: args.epochs,
    batch: args.batch,
    learningRate: args.learningRate,
    seed: args.seed,
    patience: args.patience,
    name,
  });
  context.session.setModel(entry);
  const backend = context.session.backend!;
  const summary = entry.train!;
  const notes = [
    `${entry.restoredFrom ? 'Restored from the training cache: ' : ''}Trained **${name}** on ${summary.trainCount} images${patchNote(entry)} (and ${summary.validationCount} more for validation) for ${summary.epochsRun} epochs in ${formatNumber(summary.trainMs / 1000, 3)} s on ${backend.summary}; kept the weights of epoch ${summary.bestEpoch}.`,
    summary.stopReason ? `Note: ${summary.stopReason}.` : '',
    entry.restarts?.length ? `The first ${entry.restarts.length === 1 ? 'attempt' : `${entry.restarts.length} attempts`} collapsed to a constant prediction and ${entry.restarts.length === 1 ? 'was' : 'were'} trained again from another initialisation (the time counts every attempt).` : '',
    `Held-out test images: ${entry.evaluation!.perImage.length}.`,
  ].filter(Boolean);
  context.emit({ type: 'output', output: markdownOutput(`${notes.join(' ')}\n\n${modelsTable([entry])}`, [jsonItem(modelJson(entry))], { model: name, f1: entry.evaluation!.summary.f1.mean }) });
  const { test } = await datasetSplit(context, args.dataset, entry.seed);
  context.emit({ type: 'output', output: await overlayOutput(entry, test) });
}

/** How the network saw the images, when it trained on patches. */
function patchNote(entry: TrainedModel): string {
  const patches = entry.train?.patchNetwork;
  if (patches) return `, as ${patches.drawnPatches - entry.train!.validationCount} balanced ${patches.patchPx}x${patches.patchPx} patches (N_p = ${patches.poolPatches} in the pool; held-out images predicted at every pixel through the fully convolutional form; latency is per patch)`;
  const patchPx = entry.train?.patchPx;
  return patchPx ? `, as random ${patchPx}x${patchPx} patches (held-out images predicted tile by tile; latency is per patch)` : '';
}

export async function runEvaluate(args: { model: string; dataset: string }, context: ExecutionContext): Promise<void> {
  const entry = context.session.model(args.model);
  await context.session.ensureBackend();
  const samples = await context.session.samplesOf(args.dataset, context.signal);
  checkModelTakes(entry, args.dataset, samples);
  const test = args.dataset === entry.dataset ? splitTrainTest(samples, entry.seed).test : samples;
  await evaluateOnTest(context, entry, test);
  context.emit({ type: 'output', output: markdownOutput(`Evaluated **${entry.name}** on ${test.length} images of ${args.dataset}${args.dataset === entry.dataset ? ' (held out from training)' : ''}.\n\n${modelsTable([entry])}`, [jsonItem(modelJson(entry))]) });
  context.emit({ type: 'output', output: await overlayOutput(entry, test) });
}

export async function runModel(args: { network: string; alpha?: number; input?: number[] }, context: ExecutionContext): Promise<void> {
  const choice = parseNetworkId(args.network);
  const patchPx = NETWORKS[choice.network].patchPx;
  // a patch network's input is its RGB patch (H&E); the others default to a 256x256 gray image
  const [heightPx = patchPx ?? 256, widthPx = heightPx, channels = patchPx ? 3 : 1] = args.input ?? [];
  if (channels !== 1 && channels !== 3) throw new RangeError(`input channels must be 1 or 3, not ${channels}`);
  const description = describeModel(choice, args.alpha ?? 1, { heightPx, widthPx, channels });
  const info = NETWORKS[choice.network];
  const table = markdownTable(
    ['network', 'alpha', 'input', '#params', 'log10 #params', 'size (MB, 32-bit)', 'GFLOPs / image', 'activations (MB / image)'],
    [[description.network, formatNumber(description.alpha, 4), description.input, description.params, formatNumber(description.log10Params, 5), formatNumber(description.sizeMB, 4), formatNumber(description.flops / 1e9, 4), formatNumber(description.activationMB, 4)]],
  );
  const note = heightPx % info.requiredInputMultiple || widthPx % info.requiredInputMultiple ? `\n\nNote: ${info.displayName} trains on sides that are multiples of ${info.requiredInputMultiple}.` : '';
  const layers = markdownTable(['layer', 'kernel', 'in', 'filters', 'output', '#params'], description.layers.map((l) => [l.name, `${l.kernel}x${l.kernel}`, l.inputChannels, l.filters, l.output, l.params]));
  const patch = patchPx ? `\n\nA patch network: a ${patchPx}x${patchPx} patch in, the softmax over background and cell of its labelled pixel out (FLOPs and activations per patch); whole images are predicted at every pixel through its fully convolutional form.` : '';
  context.emit({ type: 'output', output: markdownOutput(`${table}\n\n${info.displayName}: ${info.reference}.${note}${patch}\n\n${layers}`, [jsonItem(description)]) });
}

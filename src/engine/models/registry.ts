/**
 * The networks of the CC-Net paper (segmentation networks: an image in, a probability map of the
 * same size out) and the H&E study's patch networks (a P x P patch in, the softmax of its
 * labelled pixel out, ./dcnn.ts, ./dccn.ts) by id, and what the rest of the product needs to
 * know about them: building, size formulas, input constraints.
 */
import type * as tf from '../tf';
import { CUMEDVISION_AUX_LOSS_WEIGHTS, CUMEDVISION_BLOCKS, cumedvisionGraph } from './cumedvision';
import { FCN_FC6_FILTERS, FCN_FC7_FILTERS, FCN_VGG_BLOCKS, fcnGraph } from './fcn';
import { buildGraph, graphActivationBytes, graphFlops, graphParams, inferShapes, layerParams, type NetworkGraph } from './graph';
import { dcnnGraph } from './dcnn';
import { dccnGraph } from './dccn';
import { patchSizeOf } from './dense';
import { NETWORK_TITLES } from './titles';
import { UNET_BASE_FILTERS, unetGraph } from './unet';

export type NetworkId = 'unet' | 'fcn' | 'cumedvision' | 'dcnn' | 'dccn';

export interface NetworkInfo {
  id: NetworkId;
  displayName: string;
  reference: string;
  /** Input height and width must be multiples of this (2^number of poolings). */
  requiredInputMultiple: number;
  /** The base filter counts of the scaled convolutions (alpha = 1). */
  baseFilters: number[];
  /** Loss weights of outputs after the first (auxiliary classifiers). */
  auxiliaryLossWeights: number[];
  /** Patch networks: the patch side (their input; whole images are predicted densely). */
  patchPx?: number;
  graph(alpha: number, squeeze: boolean): NetworkGraph;
}

export const NETWORKS: Record<NetworkId, NetworkInfo> = {
  unet: {
    id: 'unet',
    ...NETWORK_TITLES.unet,
    requiredInputMultiple: 16,
    baseFilters: UNET_BASE_FILTERS,
    auxiliaryLossWeights: [],
    graph: unetGraph,
  },
  fcn: {
    id: 'fcn',
    ...NETWORK_TITLES.fcn,
    requiredInputMultiple: 32,
    baseFilters: [...FCN_VGG_BLOCKS.flat(), FCN_FC6_FILTERS, FCN_FC7_FILTERS],
    auxiliaryLossWeights: [],
    graph: fcnGraph,
  },
  cumedvision: {
    id: 'cumedvision',
    ...NETWORK_TITLES.cumedvision,
    requiredInputMultiple: 8,
    baseFilters: CUMEDVISION_BLOCKS.flat(),
    auxiliaryLossWeights: CUMEDVISION_AUX_LOSS_WEIGHTS,
    graph: cumedvisionGraph,
  },
  dcnn: {
    id: 'dcnn',
    ...NETWORK_TITLES.dcnn,
    requiredInputMultiple: 1,
    baseFilters: [25, 50, 80, 1024],
    auxiliaryLossWeights: [],
    patchPx: patchSizeOf(dcnnGraph(1)),
    graph: (alpha) => dcnnGraph(alpha),
  },
  dccn: {
    id: 'dccn',
    ...NETWORK_TITLES.dccn,
    requiredInputMultiple: 1,
    baseFilters: [32, 24, 1024],
    auxiliaryLossWeights: [],
    patchPx: patchSizeOf(dccnGraph(1)),
    graph: (alpha) => dccnGraph(alpha),
  },
};

export const NETWORK_IDS = Object.keys(NETWORKS) as NetworkId[];
/** The segmentation networks (CC-Net's calibration, selection and compression take only these). */
export const SEGMENTATION_NETWORK_IDS = NETWORK_IDS.filter((id) => NETWORKS[id].patchPx === undefined);

/** True for the patch networks (dcnn, dccn). */
export function isPatchNetwork(network: NetworkId): boolean {
  return NETWORKS[network].patchPx !== undefined;
}

/** Throws a clear error when `what` (calibrate, select, ...) is asked of a patch network. */
export function checkSegmentationNetwork(network: NetworkId, what: string): void {
  if (isPatchNetwork(network)) throw new RangeError(`${what} works with the segmentation networks (${SEGMENTATION_NETWORK_IDS.join(', ')}), not with the patch network ${network}`);
}

export interface NetworkChoice {
  network: NetworkId;
  /** SqueezeNet fire modules in place of 3x3 convolutions (the paper's "Squeeze" baseline). */
  squeeze: boolean;
}

/** 'unet', 'fcn', 'cumedvision', or 'squeezed-' + one of them. */
export function parseNetworkId(text: string): NetworkChoice {
  const squeeze = text.startsWith('squeezed-');
  const id = squeeze ? text.slice('squeezed-'.length) : text;
  if (!(id in NETWORKS) || (squeeze && isPatchNetwork(id as NetworkId))) {
    const valid = [...NETWORK_IDS, ...SEGMENTATION_NETWORK_IDS.map((n) => `squeezed-${n}`)];
    const note = squeeze && id in NETWORKS ? ` (the patch networks have no squeezed variant)` : '';
    throw new RangeError(`unknown network '${text}'${note}; choose one of ${valid.join(', ')}`);
  }
  return { network: id as NetworkId, squeeze };
}

export function networkLabel(choice: NetworkChoice): string {
  return `${choice.squeeze ? 'squeezed ' : ''}${NETWORKS[choice.network].displayName}`;
}

export interface ModelOptions {
  alpha: number;
  inputHeightPx: number;
  inputWidthPx: number;
  inputChannels: 1 | 3;
  squeeze?: boolean;
  /** Makes the kernel initialisation repeatable. */
  seed?: number;
}

export function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha <= 4)) throw new RangeError(`alpha (the width multiplier) must be above 0 and at most 4, not ${alpha}`);
}

/** Throws a clear error when the input size does not suit the network. */
export function checkInputSize(network: NetworkId, heightPx: number, widthPx: number): void {
  const patchPx = NETWORKS[network].patchPx;
  if (patchPx !== undefined) {
    if (heightPx !== patchPx || widthPx !== patchPx) {
      throw new RangeError(`${NETWORKS[network].displayName} takes ${patchPx}x${patchPx} patches (its receptive field), not a ${heightPx}x${widthPx} input; images of any size are predicted pixel by pixel through its fully convolutional form`);
    }
    return;
  }
  const multiple = NETWORKS[network].requiredInputMultiple;
  if (heightPx % multiple !== 0 || widthPx % multiple !== 0 || heightPx < multiple || widthPx < multiple) {
    const suggestion = Math.max(multiple, Math.round(Math.max(heightPx, widthPx) / multiple) * multiple);
    throw new RangeError(
      `${NETWORKS[network].displayName} needs an input whose sides are multiples of ${multiple} (it halves the size ${Math.log2(multiple)} times); ${heightPx}x${widthPx} is not: give the dataset a working size such as size ${suggestion}`,
    );
  }
}

export function buildNetwork(network: NetworkId, options: ModelOptions): tf.LayersModel {
  checkAlpha(options.alpha);
  checkInputSize(network, options.inputHeightPx, options.inputWidthPx);
  const graph = NETWORKS[network].graph(options.alpha, options.squeeze ?? false);
  return buildGraph(graph, { heightPx: options.inputHeightPx, widthPx: options.inputWidthPx, channels: options.inputChannels }, options.seed, network);
}

export interface ModelDescription {
  network: string;
  alpha: number;
  input: string;
  params: number;
  log10Params: number;
  /** 32-bit weights; MB = 10^6 bytes. */
  sizeMB: number;
  /** One forward pass of one image. */
  flops: number;
  /** Every layer output of one forward pass of one image, 32-bit; MB = 10^6 bytes. */
  activationMB: number;
  /** Every convolution (fully connected layers of the patch networks included) with its closed-form #params and output shape. */
  layers: { name: string; kernel: number; inputChannels: number; filters: number; output: string; params: number }[];
  /** Patch networks: the patch side. */
  patchPx?: number;
}

/** Closed-form size of a network at alpha for an input (exact: checked against built models). */
export function describeModel(choice: NetworkChoice, alpha: number, input: { heightPx: number; widthPx: number; channels: number }): ModelDescription {
  checkAlpha(alpha);
  if (isPatchNetwork(choice.network)) checkInputSize(choice.network, input.heightPx, input.widthPx);
  const graph = NETWORKS[choice.network].graph(alpha, choice.squeeze);
  const params = graphParams(graph, input.channels);
  const shapes = inferShapes(graph, input);
  const layers = layerParams(graph, input.channels).map(({ name, kernel, inputChannels, filters, params: p }) => {
    const out = shapes.get(name)!;
    return { name, kernel, inputChannels, filters, output: `${out.heightPx}x${out.widthPx}x${out.channels}`, params: p };
  });
  const patchPx = NETWORKS[choice.network].patchPx;
  return {
    network: `${choice.squeeze ? 'squeezed-' : ''}${choice.network}`,
    alpha,
    input: `${input.heightPx}x${input.widthPx}x${input.channels}`,
    params,
    log10Params: Math.log10(params),
    sizeMB: (params * 4) / 1e6,
    flops: graphFlops(graph, input, 1),
    activationMB: graphActivationBytes(graph, input, 1) / 1e6,
    layers,
    ...(patchPx !== undefined ? { patchPx } : {}),
  };
}


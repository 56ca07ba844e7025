/**
 * The networks of the CC-Net paper by id, and what the rest of the product needs to know about
 * them: building, size formulas, input constraints.
 */
import type * as tf from '../tf';
import { CUMEDVISION_AUX_LOSS_WEIGHTS, CUMEDVISION_BLOCKS, cumedvisionGraph } from './cumedvision';
import { FCN_FC6_FILTERS, FCN_FC7_FILTERS, FCN_VGG_BLOCKS, fcnGraph } from './fcn';
import { buildGraph, graphActivationBytes, graphFlops, graphParams, type NetworkGraph } from './graph';
import { NETWORK_TITLES } from './titles';
import { UNET_BASE_FILTERS, unetGraph } from './unet';

export type NetworkId = 'unet' | 'fcn' | 'cumedvision';

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
};

export const NETWORK_IDS = Object.keys(NETWORKS) as NetworkId[];

export interface NetworkChoice {
  network: NetworkId;
  /** SqueezeNet fire modules in place of 3x3 convolutions (the paper's "Squeeze" baseline). */
  squeeze: boolean;
}

/** 'unet', 'fcn', 'cumedvision', or 'squeezed-' + one of them. */
export function parseNetworkId(text: string): NetworkChoice {
  const squeeze = text.startsWith('squeezed-');
  const id = squeeze ? text.slice('squeezed-'.length) : text;
  if (!(id in NETWORKS)) {
    const valid = [...NETWORK_IDS, ...NETWORK_IDS.map((n) => `squeezed-${n}`)];
    throw new RangeError(`unknown network '${text}'; choose one of ${valid.join(', ')}`);
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
}

/** Closed-form size of a network at alpha for an input (exact: checked against built models). */
export function describeModel(choice: NetworkChoice, alpha: number, input: { heightPx: number; widthPx: number; channels: number }): ModelDescription {
  checkAlpha(alpha);
  const graph = NETWORKS[choice.network].graph(alpha, choice.squeeze);
  const params = graphParams(graph, input.channels);
  return {
    network: `${choice.squeeze ? 'squeezed-' : ''}${choice.network}`,
    alpha,
    input: `${input.heightPx}x${input.widthPx}x${input.channels}`,
    params,
    log10Params: Math.log10(params),
    sizeMB: (params * 4) / 1e6,
    flops: graphFlops(graph, input, 1),
    activationMB: graphActivationBytes(graph, input, 1) / 1e6,
  };
}


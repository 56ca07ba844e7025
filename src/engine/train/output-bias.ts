/**
 * Prior initialisation of the output bias (Lin et al., "Focal Loss for Dense Object Detection",
 * ICCV 2017, section 3.3 "Initialization"): before training from scratch, the biases of the
 * layers that make the main output's logit are set so that the network starts out predicting
 * the foreground fraction pi of the training masks everywhere, logit(pi) = ln(pi / (1 - pi)),
 * split evenly over the layers whose outputs are summed (../models/graph.ts outputLogitLayers).
 *
 * Why: with biases at 0 a network starts at p = 0.5 everywhere, and its first steps are spent
 * pushing every pixel towards the background. In narrow networks (two or four filters in the
 * first layers) those large early gradients drive the few ReLUs to negative pre-activations on
 * every input, and the network never leaves the constant "all background" prediction: U-Net at
 * 1/32 width on ISBI 2012 EM patches did so with 1 of 4 seeds (He initialisation) and 1 of 4
 * (Glorot), and with none of 8 once the output started at the prior.
 */
import * as tf from '../tf';
import type { SegmentationSample } from '../data/samples';
import { outputLogitLayers, type NetworkGraph } from '../models/graph';

/** Foreground pixels are clamped to this share away from 0 and 1, so the logit stays finite. */
export const PRIOR_CLAMP = 1e-3;

/** Share of foreground pixels over all masks (pixel-weighted, so large images weigh more). */
export function foregroundFraction(samples: readonly Pick<SegmentationSample, 'mask'>[]): number {
  let foreground = 0;
  let pixels = 0;
  for (const s of samples) {
    for (let i = 0; i < s.mask.length; i++) foreground += s.mask[i]!;
    pixels += s.mask.length;
  }
  if (pixels === 0) throw new RangeError('there are no mask pixels to take the foreground fraction of');
  return foreground / pixels;
}

/** ln(pi / (1 - pi)) with pi clamped to [PRIOR_CLAMP, 1 - PRIOR_CLAMP]. */
export function priorLogit(fraction: number): number {
  const pi = Math.min(1 - PRIOR_CLAMP, Math.max(PRIOR_CLAMP, fraction));
  return Math.log(pi / (1 - pi));
}

/**
 * Sets the biases of the main output's logit layers to logit(fraction) / (number of layers). A
 * two-class softmax output (the patch networks: background, cell) gets biases (0, logit(pi)),
 * so that its cell probability starts at pi.
 */
export function initialiseOutputBiasToPrior(model: tf.LayersModel, graph: NetworkGraph, fraction: number): void {
  const layers = outputLogitLayers(graph);
  const share = priorLogit(fraction) / layers.length;
  const softmax = graph.nodes.some((n) => n.name === graph.outputs[0] && n.op === 'activation' && n.activation === 'softmax');
  for (const name of layers) {
    const layer = model.getLayer(name);
    const [kernel, bias, ...rest] = layer.getWeights();
    if (!kernel || !bias) throw new RangeError(`layer ${name} has no bias to initialise`);
    if (softmax && bias.size !== 2) throw new RangeError(`layer ${name} feeds a softmax over ${bias.size} classes; only two (background, cell) are supported`);
    const prior = softmax ? tf.tensor1d([0, share]) : tf.fill(bias.shape, share);
    layer.setWeights([kernel, prior, ...rest]);
    prior.dispose();
  }
}

/**
 * CUMedVision, the deep contextual network (Chen, Qi, Yu and Heng, "DCAN", CVPR 2016; Chen et
 * al., "Deep contextual networks for neuronal structure segmentation", AAAI 2016) at width
 * multiplier alpha.
 *
 * Downsampling path: the first 10 3x3 convolutions of VGG16 (base filters 64, 64 | 128, 128 |
 * 256 x3 | 512 x3, ReLU) with 2x2 max pooling after the first three blocks. Upsampling path:
 * from the last feature map of blocks 2, 3 and 4 (strides 2, 4, 8) a transposed convolution
 * (kernel 2s, stride s) to one channel gives each level's logits at full resolution; the fused
 * prediction is the sigmoid of their sum. Each level's own sigmoid is an auxiliary classifier
 * (deep supervision), trained with weights CUMEDVISION_AUX_LOSS_WEIGHTS.
 *
 * At alpha = 1 with one input channel: 7,783,619 parameters, log10 = 6.8912 (paper's Table 2:
 * 6.887). Input sides must be multiples of 8.
 */
import { conv3x3, scaledFilters, type GraphNode, type NetworkGraph } from './graph';

export const CUMEDVISION_BLOCKS = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512]];

/**
 * Loss weights of the auxiliary classifiers (levels of stride 2, 4, 8), relative to the fused
 * output's weight 1. Chen et al. weight auxiliary losses and decay them during training; we
 * keep them fixed at 0.3 each (documented choice).
 */
export const CUMEDVISION_AUX_LOSS_WEIGHTS = [0.3, 0.3, 0.3];

export function cumedvisionGraph(alpha: number, squeeze = false): NetworkGraph {
  const nodes: GraphNode[] = [{ op: 'input', name: 'input' }];
  let last = 'input';
  const levelOutputs: { name: string; stride: number }[] = [];
  CUMEDVISION_BLOCKS.forEach((block, b) => {
    if (b > 0) {
      nodes.push({ op: 'pool', name: `pool${b}`, from: last });
      last = `pool${b}`;
    }
    block.forEach((base, c) => {
      last = conv3x3(nodes, `block${b + 1}_conv${c + 1}`, last, scaledFilters(base, alpha), squeeze);
    });
    if (b > 0) levelOutputs.push({ name: last, stride: 2 ** b });
  });
  const logits = levelOutputs.map(({ name, stride }, i) => {
    const up = `aux${i + 1}_up`;
    nodes.push({ op: 'convT', name: up, from: name, filters: 1, kernel: 2 * stride, stride, activation: 'linear' });
    return up;
  });
  nodes.push({ op: 'add', name: 'fuse', from: logits });
  nodes.push({ op: 'activation', name: 'output', from: 'fuse', activation: 'sigmoid' });
  logits.forEach((up, i) => nodes.push({ op: 'activation', name: `aux${i + 1}`, from: up, activation: 'sigmoid' }));
  return { nodes, outputs: ['output', ...logits.map((_, i) => `aux${i + 1}`)] };
}

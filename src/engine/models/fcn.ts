/**
 * FCN-8s (Long, Shelhamer and Darrell, CVPR 2015) at width multiplier alpha.
 *
 * Encoder: the 13 3x3 convolutions of VGG16 (base filters 64, 64 | 128, 128 | 256 x3 | 512 x3 |
 * 512 x3, ReLU) with 2x2 max pooling after each block (output stride 32). Head: "fc6" as a
 * 3x3 convolution to 4096 channels and "fc7" as a 1x1 convolution to 512 channels (ReLU), then
 * the FCN-8s fusion for one class: a 1x1 score of fc7, upsampled x2 by a 4x4 transposed
 * convolution and added to a 1x1 score of pool4, upsampled x2 again and added to a 1x1 score of
 * pool3, upsampled x8 by a 16x16 transposed convolution, sigmoid.
 *
 * Choices: the original fc6 is a 7x7 convolution to 4096 and fc7 a 1x1 to 4096 (134M
 * parameters); the paper's Table 2 reports log10(#params) = 7.552 (35.6M), which a 3x3 fc6 to
 * 4096 with a 1x1 fc7 bottleneck to 512 reproduces: 35,691,238 parameters at alpha = 1 with one
 * input channel, log10 = 7.5526. The score and upsampling layers have one channel at every
 * alpha. Input sides must be multiples of 32.
 */
import { conv3x3, scaledFilters, type GraphNode, type NetworkGraph } from './graph';

export const FCN_VGG_BLOCKS = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];
export const FCN_FC6_FILTERS = 4096;
export const FCN_FC7_FILTERS = 512;

export function fcnGraph(alpha: number, squeeze = false): NetworkGraph {
  const nodes: GraphNode[] = [{ op: 'input', name: 'input' }];
  let last = 'input';
  FCN_VGG_BLOCKS.forEach((block, b) => {
    block.forEach((base, c) => {
      last = conv3x3(nodes, `block${b + 1}_conv${c + 1}`, last, scaledFilters(base, alpha), squeeze);
    });
    nodes.push({ op: 'pool', name: `pool${b + 1}`, from: last });
    last = `pool${b + 1}`;
  });
  last = conv3x3(nodes, 'fc6', last, scaledFilters(FCN_FC6_FILTERS, alpha), squeeze);
  nodes.push({ op: 'conv', name: 'fc7', from: last, filters: scaledFilters(FCN_FC7_FILTERS, alpha), kernel: 1, activation: 'relu' });
  nodes.push({ op: 'conv', name: 'score_fr', from: 'fc7', filters: 1, kernel: 1, activation: 'linear' });
  nodes.push({ op: 'convT', name: 'upscore2', from: 'score_fr', filters: 1, kernel: 4, stride: 2, activation: 'linear' });
  nodes.push({ op: 'conv', name: 'score_pool4', from: 'pool4', filters: 1, kernel: 1, activation: 'linear' });
  nodes.push({ op: 'add', name: 'fuse_pool4', from: ['upscore2', 'score_pool4'] });
  nodes.push({ op: 'convT', name: 'upscore_pool4', from: 'fuse_pool4', filters: 1, kernel: 4, stride: 2, activation: 'linear' });
  nodes.push({ op: 'conv', name: 'score_pool3', from: 'pool3', filters: 1, kernel: 1, activation: 'linear' });
  nodes.push({ op: 'add', name: 'fuse_pool3', from: ['upscore_pool4', 'score_pool3'] });
  nodes.push({ op: 'convT', name: 'upscore8', from: 'fuse_pool3', filters: 1, kernel: 16, stride: 8, activation: 'linear' });
  nodes.push({ op: 'activation', name: 'output', from: 'upscore8', activation: 'sigmoid' });
  return { nodes, outputs: ['output'] };
}

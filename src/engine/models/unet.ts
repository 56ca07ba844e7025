/**
 * U-Net (Ronneberger, Fischer and Brox, MICCAI 2015) at width multiplier alpha.
 *
 * Contracting path: 5 levels of two 3x3 convolutions (ReLU) with base filters 64, 128, 256,
 * 512, 1024 and 2x2 max pooling between levels. Expanding path: per level a 2x2 transposed
 * convolution with stride 2 (the "up-convolution", halving the channels, linear), concatenation
 * with the contracting path's feature map, and two 3x3 convolutions (ReLU). Output: a 1x1
 * convolution to one channel with a sigmoid (binary segmentation).
 *
 * Choices: 'same' padding (output size = input size, no cropping) and no dropout, as in most
 * re-implementations. At alpha = 1 with one input channel this has 31,030,593 parameters,
 * log10 = 7.4918, the paper's Table 2 value 7.492. Input sides must be multiples of 16.
 */
import { conv3x3, scaledFilters, type GraphNode, type NetworkGraph } from './graph';

export const UNET_BASE_FILTERS = [64, 128, 256, 512, 1024];

export function unetGraph(alpha: number, squeeze = false): NetworkGraph {
  const f = UNET_BASE_FILTERS.map((base) => scaledFilters(base, alpha));
  const nodes: GraphNode[] = [{ op: 'input', name: 'input' }];
  let last = 'input';
  const skips: string[] = [];
  f.forEach((filters, i) => {
    const level = i + 1;
    if (i > 0) {
      nodes.push({ op: 'pool', name: `enc${level - 1}_pool`, from: last });
      last = `enc${level - 1}_pool`;
    }
    last = conv3x3(nodes, `enc${level}_conv1`, last, filters, squeeze);
    last = conv3x3(nodes, `enc${level}_conv2`, last, filters, squeeze);
    skips.push(last);
  });
  for (let level = f.length - 1; level >= 1; level--) {
    const filters = f[level - 1]!;
    nodes.push({ op: 'convT', name: `dec${level}_up`, from: last, filters, kernel: 2, stride: 2, activation: 'linear' });
    nodes.push({ op: 'concat', name: `dec${level}_concat`, from: [skips[level - 1]!, `dec${level}_up`] });
    last = conv3x3(nodes, `dec${level}_conv1`, `dec${level}_concat`, filters, squeeze);
    last = conv3x3(nodes, `dec${level}_conv2`, last, filters, squeeze);
  }
  nodes.push({ op: 'conv', name: 'output', from: last, filters: 1, kernel: 1, activation: 'sigmoid' });
  return { nodes, outputs: ['output'] };
}

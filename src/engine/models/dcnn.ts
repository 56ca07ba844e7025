/**
 * DCNN, the patch classifier of the H&E training-set-size study (Götz, Göb, Sawant, Erick,
 * Wittenberg, Schmidkonz, Tomé, Lang and Ramming, "Number of necessary training examples for
 * Neural Networks with different number of trainable parameters", Journal of Pathology
 * Informatics 13, 100114, 2022), at width multiplier alpha.
 *
 * From the study: three convolutions with 25, 50 and 80 filters of sizes 4, 5 and 6, each
 * followed by a max-pooling, two fully connected layers, and a softmax over the two classes
 * (cell, background) of the centre pixel of an RGB patch. Its Table 2 gives the parameters per
 * layer as 1,225 / 31,300 / 144,080 / 738,104 / 2,050.
 *
 * What the text leaves open, and what is chosen here:
 * - the fully connected layers' widths: FC2 = 2,050 = 1024 x 2 + 2 fixes FC1's width at 1024;
 * - FC1's input: three valid convolutions and three 2x2 max-poolings (stride 2) leave a 3x3x80
 *   map for a 55x55 or a 56x56 patch (55: 52, 26, 22, 11, 6, 3; 56: 53, 26, ...), so FC1 has
 *   720 x 1024 + 1024 = 738,304 parameters. The table's 738,104 is not 1024 x (n + 1) for any
 *   whole n (738,104 / 1024 = 720.8), so it cannot be a 1024-unit layer's count: a typo for
 *   738,304 (one digit), and the product reports 738,304;
 * - the patch: 55 x 55, the receptive field of the output (56 would leave its last row and
 *   column unused, and an even patch has no centre pixel);
 * - padding 'valid' everywhere, ReLU after every convolution and FC1 (not stated), biases
 *   (the counts include them), no dropout or batch normalisation (none is counted).
 *
 * As a fully convolutional network FC1 is a 3x3 valid convolution and FC2 a 1x1 convolution,
 * so a 55x55 patch gives a 1x1x2 softmax; ./dense.ts turns it into a dense predictor of whole
 * images. alpha scales every layer's filters (FC1's units included), not the two classes.
 */
import { scaledFilters, type GraphNode, type NetworkGraph } from './graph';

export const DCNN_CONVOLUTIONS = [
  { filters: 25, kernel: 4 },
  { filters: 50, kernel: 5 },
  { filters: 80, kernel: 6 },
];
export const DCNN_FC1_UNITS = 1024;
/** The study's Table 2, per layer, as printed (FC1's 738,104 is a typo for 738,304, see above). */
export const DCNN_TABLE_2_PARAMS = [1225, 31300, 144080, 738104, 2050];
/** The two classes of the softmax, in channel order: channel 1 is the cell probability. */
export const PATCH_CLASSES = ['background', 'cell'] as const;

/** FC1 (3x3 convolution, ReLU), FC2 (1x1 convolution to the two classes) and the softmax. */
export function patchClassifierHead(nodes: GraphNode[], from: string, alpha: number): NetworkGraph {
  nodes.push({ op: 'conv', name: 'fc1', from, filters: scaledFilters(DCNN_FC1_UNITS, alpha), kernel: 3, padding: 'valid', activation: 'relu' });
  nodes.push({ op: 'conv', name: 'fc2', from: 'fc1', filters: PATCH_CLASSES.length, kernel: 1, padding: 'valid', activation: 'linear' });
  nodes.push({ op: 'activation', name: 'output', from: 'fc2', activation: 'softmax' });
  return { nodes, outputs: ['output'] };
}

export function dcnnGraph(alpha: number): NetworkGraph {
  const nodes: GraphNode[] = [{ op: 'input', name: 'input' }];
  let last = 'input';
  DCNN_CONVOLUTIONS.forEach(({ filters, kernel }, i) => {
    nodes.push({ op: 'conv', name: `conv${i + 1}`, from: last, filters: scaledFilters(filters, alpha), kernel, padding: 'valid', activation: 'relu' });
    nodes.push({ op: 'pool', name: `pool${i + 1}`, from: `conv${i + 1}` });
    last = `pool${i + 1}`;
  });
  return patchClassifierHead(nodes, last, alpha);
}

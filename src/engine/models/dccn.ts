/**
 * DCCN, the densely connected patch classifier of the H&E training-set-size study (Götz et al.,
 * J. Pathol. Inform. 13, 100114, 2022; see ./dcnn.ts), at width multiplier alpha.
 *
 * From the study: a densely connected network (dense blocks, Huang et al., CVPR 2017) that
 * classifies the centre pixel of an RGB patch as cell or background, with 4,794,754 trainable
 * parameters in total (its Table 2). Its layer-by-layer description was not available to this
 * implementation, so everything else is chosen here, DenseNet's way, and chosen so that the
 * closed-form total is exactly 4,794,754:
 * - stem: a valid 3x3 convolution with 32 filters (ReLU);
 * - two dense blocks of 8 layers, each a valid 3x3 convolution with growth rate 24 (ReLU) whose
 *   input is the concatenation of the block's input and every earlier layer's output, each
 *   centre-cropped to the current size (valid convolutions shrink the map by 2 per layer; the
 *   crop keeps the concatenation exact and the network fully convolutional);
 * - after each block a transition: a 1x1 convolution (ReLU) without compression (theta = 1, as
 *   many filters as channels in) and a 2x2 max-pooling with stride 2;
 * - the DCNN's head: FC1 with 1024 units as a 3x3 valid convolution on the 3x3x416 map, FC2 to
 *   the two classes, softmax; no batch normalisation or dropout (either would change the count).
 * Parameters: stem 896, block 1 200,640, transition 1 50,400, block 2 532,416, transition 2
 * 173,472, FC1 3,834,880, FC2 2,050; total 4,794,754. A search over stems of 3, 4, 5 or 7 px
 * with 16, 24, 25, 32, 48, 50 or 64 filters (with or without a pooling after it), growth rates
 * 8, 12, 16, 24, 25, 32, 40 or 48, one to three blocks of 1 to 12 layers (non-decreasing),
 * transitions with theta 0.5 or 1 or pooling only, with or without a transition after the last
 * block, and this head found only this network with that total (the poolings at other places).
 * Pooling in both transitions gives a 62x62 patch (the receptive field: 62, 60, 44, 22, 6, 3,
 * 1). An even patch has no centre pixel: the labelled pixel is the one at row and column 30
 * (0-based, see ./dense.ts).
 *
 * alpha scales the stem, the growth rate and FC1 (the transitions keep their input's width).
 */
import { scaledFilters, type GraphNode, type NetworkGraph } from './graph';
import { patchClassifierHead } from './dcnn';

export const DCCN_STEM = { filters: 32, kernel: 3 };
export const DCCN_GROWTH_RATE = 24;
export const DCCN_BLOCK_LAYERS = [8, 8];
export const DCCN_DENSE_KERNEL = 3;
/** The study's Table 2 total. */
export const DCCN_TABLE_2_TOTAL_PARAMS = 4794754;

export function dccnGraph(alpha: number): NetworkGraph {
  const growth = scaledFilters(DCCN_GROWTH_RATE, alpha);
  const nodes: GraphNode[] = [{ op: 'input', name: 'input' }];
  nodes.push({ op: 'conv', name: 'stem', from: 'input', filters: scaledFilters(DCCN_STEM.filters, alpha), kernel: DCCN_STEM.kernel, padding: 'valid', activation: 'relu' });
  let last = 'stem';
  let channels = scaledFilters(DCCN_STEM.filters, alpha);
  const shrink = DCCN_DENSE_KERNEL - 1;
  DCCN_BLOCK_LAYERS.forEach((layers, b) => {
    const block = `block${b + 1}`;
    // the block's features so far, each with how many pixels it is larger per side than the newest
    let features: { name: string; margin: number }[] = [{ name: last, margin: 0 }];
    for (let l = 1; l <= layers; l++) {
      const inputs = features.map(({ name, margin }) => {
        if (margin === 0) return name;
        const cropped = `${block}_crop${l}_${name}`;
        nodes.push({ op: 'crop', name: cropped, from: name, crop: margin });
        return cropped;
      });
      let input = inputs[0]!;
      if (inputs.length > 1) {
        input = `${block}_concat${l}`;
        nodes.push({ op: 'concat', name: input, from: inputs });
      }
      const conv = `${block}_conv${l}`;
      nodes.push({ op: 'conv', name: conv, from: input, filters: growth, kernel: DCCN_DENSE_KERNEL, padding: 'valid', activation: 'relu' });
      features = [...features.map((f) => ({ name: f.name, margin: f.margin + shrink / 2 })), { name: conv, margin: 0 }];
    }
    const inputs = features.map(({ name, margin }) => {
      if (margin === 0) return name;
      const cropped = `${block}_crop_out_${name}`;
      nodes.push({ op: 'crop', name: cropped, from: name, crop: margin });
      return cropped;
    });
    nodes.push({ op: 'concat', name: `${block}_out`, from: inputs });
    channels += layers * growth;
    nodes.push({ op: 'conv', name: `transition${b + 1}`, from: `${block}_out`, filters: channels, kernel: 1, padding: 'valid', activation: 'relu' });
    nodes.push({ op: 'pool', name: `transition${b + 1}_pool`, from: `transition${b + 1}` });
    last = `transition${b + 1}_pool`;
  });
  return patchClassifierHead(nodes, last, alpha);
}

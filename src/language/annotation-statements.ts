/** The statements of annotation: which images to annotate next (suggestive annotation). */
import { bitsCheck, positiveInteger } from './checks';
import type { ClauseSpec, StatementSpec } from './spec';

/** `suggest`, built with the training clauses the other statements share. */
export function suggestStatement(shared: { alpha: ClauseSpec; epochs: ClauseSpec; lr: ClauseSpec; fresh: ClauseSpec }): StatementSpec {
  return {
    keyword: 'suggest',
    synopsis: 'suggest K from "POOL" using DATASET [network N] [alpha A] [ensemble M] [bits B] [epochs E] [lr X] [to "FILE"] [fresh]',
    description:
      'Which K images of an unlabelled pool (a folder of images without masks, or its images/ folder) to annotate next, by suggestive annotation (Yang et al., MICCAI 2017; with quantized networks, Xu et al., CVPR 2018): ' +
      'M networks (default 4 U-Nets at alpha 1/16) are trained on bootstrap samples of the dataset\'s training images, optionally quantized to B bits; each pool image is scored by the mean per-pixel variance of their predictions, ' +
      'and K images are chosen among the 2K most uncertain so that they cover the pool best (cosine similarity of the networks\' encoder descriptors). ' +
      'Shows the ranked images, the pool by uncertainty and where the networks disagree; `to "FILE"` writes the list of files for annotators.',
    head: [
      { key: 'count', type: 'number', describe: 'how many images to suggest', check: positiveInteger('K') },
      { literal: 'from' },
      { key: 'pool', type: 'string', describe: 'the folder of unlabelled images in double quotes', path: { kind: 'folder' } },
      { literal: 'using' },
      { key: 'dataset', type: 'name', describe: 'the labelled dataset', nameKind: 'dataset' },
    ],
    clauses: [
      { keyword: 'network', parts: [{ key: 'network', type: 'network', describe: 'a network' }], doc: 'the ensemble\'s network (default unet)' },
      { ...shared.alpha, doc: 'width multiplier of the ensemble\'s networks (default 1/16)' },
      { keyword: 'ensemble', parts: [{ key: 'ensemble', type: 'number', describe: 'the number of networks', check: (v) => (Number.isInteger(v) && v >= 2 && v <= 16 ? undefined : `ensemble must be a whole number from 2 to 16, not ${v}`) }], doc: 'networks in the ensemble (default 4)' },
      { keyword: 'bits', parts: [{ key: 'bits', type: 'number', describe: 'bits per weight', check: bitsCheck }], doc: 'quantize each network\'s kernels to B bits per output channel after training (the quantized-FCN paper)' },
      { ...shared.epochs, doc: 'training epochs of each network (default 10)' },
      shared.lr,
      { keyword: 'to', parts: [{ key: 'to', type: 'string', describe: 'a text file for the list', path: { kind: 'file', extensions: ['txt'] } }], doc: 'write the suggested files, one path per line' },
      shared.fresh,
    ],
  };
}

/** The statement of the seed papers' studies: training-set size, suggestive annotation, quantization against overfitting. */
import { bitsCheck, positiveInteger, ratioCheck } from './checks';
import type { StatementSpec } from './spec';
import type { SharedClauses } from './baseline-statements';

/** `study samples | annotation | quantization`, built with the shared training clauses. */
export function studyStatement(shared: Omit<SharedClauses, 'as'>): StatementSpec {
  return {
    keyword: 'study',
    synopsis: 'study samples NETWORK on DATASET prune P, P... r R, R... [seeds N] [workers N] [epochs E] [alpha A] [lr X] [fresh] | study annotation NETWORK on DATASET labelled L suggest K rounds R [seeds N] [bits B] [ensemble M] [epochs E] [alpha A] [lr X] [fresh] | study quantization NETWORK on DATASET bits 32, 8, 4 fraction F, F... [seeds N] [epochs E] [alpha A] [lr X] [fresh]',
    description:
      '`study samples`: the training-set-size study of the H&E nuclei pruning paper: trains the network on the fraction r of the training images, prunes it (L1, each ratio P) and fine-tunes, and reports accuracy, Dice, sensitivity, specificity and cross-entropy on held-out images against r and P, with the standard error over seeds. ' +
      '`study annotation`: the suggestive-annotation experiment (Yang et al. 2017; quantized, Xu et al. 2018): from L annotated images, K more per round for R rounds, chosen at random, by a float ensemble and (with `bits B`) by a quantized one; F1 against the number of annotated images, with the standard error over seeds. ' +
      '`study quantization`: quantization against overfitting (Xu et al. 2018): float training against quantization-aware training at each B bits on each fraction of the training images; held-out F1 and IoU with the standard error over seeds, and the size of each network\'s model.onnx.',
    head: [{ key: 'kind', type: 'word', choices: ['samples', 'annotation', 'quantization'], describe: 'samples, annotation or quantization' }, { key: 'network', type: 'network', describe: 'a network' }, { literal: 'on' }, { key: 'dataset', type: 'name', describe: 'a dataset name', nameKind: 'dataset' }],
    clauses: [
      { keyword: 'prune', parts: [{ key: 'prune', type: 'number', list: true, describe: 'a pruning ratio from 0 to 0.9', check: ratioCheck }], doc: 'study samples: L1 pruning ratios, e.g. 0, 0.5, 0.9' },
      { keyword: 'r', parts: [{ key: 'r', type: 'number', list: true, describe: 'a fraction of the training images', check: (v) => (v > 0 && v <= 1 ? undefined : `r must be above 0 and at most 1, not ${v}`) }], doc: 'study samples: fractions of the training images, e.g. 0.1, 0.5, 1' },
      { keyword: 'labelled', parts: [{ key: 'labelled', type: 'number', describe: 'the images annotated at first', check: positiveInteger('labelled') }], doc: 'study annotation: images annotated at the start' },
      { keyword: 'suggest', parts: [{ key: 'suggest', type: 'number', describe: 'the images added per round', check: positiveInteger('suggest') }], doc: 'study annotation: images annotated per round' },
      { keyword: 'rounds', parts: [{ key: 'rounds', type: 'number', describe: 'the number of rounds', check: positiveInteger('rounds') }], doc: 'study annotation: rounds of annotation' },
      { keyword: 'bits', parts: [{ key: 'bits', type: 'number', list: true, describe: 'bits per weight (32: float)', check: bitsCheck }], doc: 'study annotation: also suggest with the ensemble quantized to B bits; study quantization: the widths of the weights to compare, e.g. 32, 8, 4' },
      { keyword: 'fraction', parts: [{ key: 'fraction', type: 'number', list: true, describe: 'a share of the training images', check: (v) => (v > 0 && v <= 1 ? undefined : `fraction must be above 0 and at most 1, not ${v}`) }], doc: 'study quantization: shares of the training images, e.g. 0.25, 0.5, 1' },
      { keyword: 'ensemble', parts: [{ key: 'ensemble', type: 'number', describe: 'the number of networks', check: (v) => (Number.isInteger(v) && v >= 2 && v <= 16 ? undefined : `ensemble must be a whole number from 2 to 16, not ${v}`) }], doc: 'study annotation: networks in the suggesting ensemble (default 4)' },
      { keyword: 'seeds', parts: [{ key: 'seeds', type: 'number', describe: 'the number of seeds', check: positiveInteger('seeds') }], doc: 'repetitions with different seeds (default 1)' },
      { keyword: 'workers', parts: [{ key: 'workers', type: 'number', describe: 'the number of worker processes', check: positiveInteger('workers') }], doc: 'study samples: train the base networks in this many worker kernels at once (default: one per core; 1 trains them in this kernel)' },
      shared.epochs,
      shared.alpha,
      shared.lr,
      shared.fresh,
    ],
  };
}

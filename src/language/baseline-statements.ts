/** The statements of the baselines CC-Net is judged against: pruning, quantization and their comparison. */
import { nonNegativeInteger, positiveInteger, quantizeBitsCheck, ratioCheck } from './checks';
import type { ClauseSpec, StatementSpec } from './spec';

/** The clauses these statements share with the others (statements.ts). */
export interface SharedClauses {
  alpha: ClauseSpec;
  epochs: ClauseSpec;
  lr: ClauseSpec;
  fresh: ClauseSpec;
  as: ClauseSpec;
}

/** `prune`, `quantize` and `compare`, built with the shared training clauses. */
export function baselineStatements(shared: SharedClauses): StatementSpec[] {
  return [
    {
      keyword: 'prune',
      synopsis: 'prune MODEL method l1|magnitude ratio R [finetune E] [lr X] [as NAME]',
      description:
        'Baselines. l1: structured filter pruning (Li et al. 2017): removes the fraction R of filters with the smallest L1 norm in every convolution, physically (the next layers and U-Net\'s skip connections lose those channels), then fine-tunes E epochs. ' +
        'magnitude: unstructured pruning with retraining (Han et al. 2015): zeroes the fraction R of weights with the smallest magnitude and retrains with them held at zero; reports sparsity and the sparse size.',
      head: [{ key: 'model', type: 'name', describe: 'a model name', nameKind: 'model' }],
      clauses: [
        { keyword: 'method', parts: [{ key: 'method', type: 'word', choices: ['l1', 'magnitude'], describe: 'l1 or magnitude' }], required: true, doc: 'l1 (structured filters) or magnitude (unstructured weights)' },
        { keyword: 'ratio', parts: [{ key: 'ratio', type: 'number', describe: 'the fraction to remove, from 0 to 0.9', check: ratioCheck }], required: true, doc: 'the fraction of filters (l1) or weights (magnitude) to remove' },
        { keyword: 'finetune', parts: [{ key: 'finetune', type: 'number', describe: 'epochs of fine-tuning', check: nonNegativeInteger('finetune') }], doc: 'fine-tuning epochs after pruning (default 5)' },
        shared.lr,
        shared.as,
      ],
    },
    {
      keyword: 'quantize',
      synopsis: 'quantize MODEL bits K [aware epochs E] [lr X] [as NAME]',
      description:
        'Baseline (quantized FCN, Xu et al. 2018): quantizes every kernel to K bits, symmetric per output channel (biases stay float32). With `aware epochs E`, trains E epochs with fake quantization in the forward pass (straight-through gradient) first, validating the quantized network. Reports the size of the ONNX file export writes and the accuracy.',
      head: [{ key: 'model', type: 'name', describe: 'a model name', nameKind: 'model' }],
      clauses: [
        { keyword: 'bits', parts: [{ key: 'bits', type: 'number', describe: 'bits per weight (2 to 16)', check: quantizeBitsCheck }], required: true, doc: 'bits per kernel weight, e.g. 8, 6, 4, 2' },
        { keyword: 'aware', parts: [{ literal: 'epochs' }, { key: 'aware', type: 'number', describe: 'epochs of quantization-aware training', check: positiveInteger('epochs') }], doc: 'quantization-aware training for E epochs' },
        shared.lr,
        shared.as,
      ],
    },
    {
      keyword: 'compare',
      synopsis: 'compare MODEL, MODEL... on DATASET',
      description: 'One table of the models on a dataset: F1 (Dice), IoU, sensitivity, specificity, precision, accuracy, cross-entropy, log10 #params, size, latency and training time, and plots of accuracy against #params and latency (like the paper\'s Tables 2 and 3).',
      head: [{ key: 'models', type: 'name', list: true, describe: 'a model name', nameKind: 'model' }, { literal: 'on' }, { key: 'dataset', type: 'name', describe: 'a dataset name', nameKind: 'dataset' }],
      clauses: [],
    },
  ];
}

/** Every statement of the cell language. The kernel has one handler per keyword. */
import { alphaCheck, inClosedRange, nonNegativeInteger, positiveInteger } from './checks';
import type { ClauseSpec } from './spec';
import type { StatementSpec } from './spec';

const sizeCheck = (value: number) => (Number.isInteger(value) && value >= 8 && value <= 8192 ? undefined : `size must be a whole number of pixels from 8 to 8192, not ${value}`);

const STATEMENTS_LIST: StatementSpec[] = [
  {
    keyword: 'dataset',
    synopsis: 'dataset NAME from "PATH" [images "GLOB"] [masks "GLOB"] [size N]',
    description:
      'Defines a dataset from a folder of image/mask pairs (paired by file name; masks: 0 background, anything else foreground). ' +
      'Relative paths start at the notebook\'s folder; by default images are in images/ and masks in masks/. ' +
      '`size N` sets the working size (N x N) for training. Unreadable images are named and skipped.',
    head: [
      { key: 'name', type: 'name', describe: 'a name for the dataset', nameKind: 'dataset', defines: true },
      { literal: 'from' },
      { key: 'path', type: 'string', describe: 'the dataset folder in double quotes' },
    ],
    clauses: [
      { keyword: 'images', parts: [{ key: 'imagesGlob', type: 'string', describe: 'a glob for the image files, e.g. "images/*.png"' }], doc: 'which files are images (glob relative to the folder)' },
      { keyword: 'masks', parts: [{ key: 'masksGlob', type: 'string', describe: 'a glob for the mask files, e.g. "masks/*.png"' }], doc: 'which files are masks (glob relative to the folder)' },
      { keyword: 'size', parts: [{ key: 'size', type: 'number', describe: 'the working size in pixels', check: sizeCheck }], doc: 'working size in pixels (square)' },
    ],
  },
  {
    keyword: 'synthetic',
    synopsis: 'synthetic NAME [complexity X] [count N] [size N] [seed S]',
    description:
      'Generates the product\'s own synthetic microscopy dataset (cells of varying size, texture and noise with exact masks) and defines it as a dataset. ' +
      '`complexity` from 0 (few smooth cells) to 1 (many textured cells, strong noise); defaults: complexity 0.5, count 24, size 128, seed 1. ' +
      'The same options give the same images, generated once and reused.',
    head: [{ key: 'name', type: 'name', describe: 'a name for the dataset', nameKind: 'dataset', defines: true }],
    clauses: [
      { keyword: 'complexity', parts: [{ key: 'complexity', type: 'number', describe: 'a complexity from 0 to 1', check: inClosedRange('complexity', 0, 1) }], doc: '0 (simple) to 1 (complex)' },
      { keyword: 'count', parts: [{ key: 'count', type: 'number', describe: 'the number of image/mask pairs', check: positiveInteger('count') }], doc: 'number of image/mask pairs' },
      { keyword: 'size', parts: [{ key: 'size', type: 'number', describe: 'the image size in pixels', check: (v) => (Number.isInteger(v) && v >= 16 && v <= 4096 ? undefined : `size must be a whole number of pixels from 16 to 4096, not ${v}`) }], doc: 'width and height in pixels' },
      { keyword: 'seed', parts: [{ key: 'seed', type: 'number', describe: 'a whole-number seed', check: nonNegativeInteger('seed') }], doc: 'random seed' },
    ],
  },
  {
    keyword: 'complexity',
    synopsis: 'complexity NAME[, NAME...] [metrics all | ID[, ID...]] [per image]',
    description:
      'Measures the image complexity of datasets: mean, standard deviation and count of each measure, as a table, a bar chart and a per-image distribution. ' +
      'Default measure: JPEG complexity J (JPEG size / raw size, Yu and Winkler 2013), which CC-Net uses to predict how much a network can shrink. ' +
      '`per image` adds a table of every image\'s values.',
    head: [{ key: 'datasets', type: 'name', list: true, describe: 'a dataset name', nameKind: 'dataset' }],
    clauses: [
      { keyword: 'metrics', parts: [{ key: 'metrics', type: 'word', list: true, describe: 'a measure id or all' }], doc: 'which measures: all, or ids separated by commas' },
      { keyword: 'per', parts: [{ literal: 'image' }], doc: 'also show per-image values' },
    ],
  },
];

const trainingClauses: ClauseSpec[] = [
  { keyword: 'alpha', parts: [{ key: 'alpha', type: 'number', describe: 'the width multiplier, e.g. 1/4', check: alphaCheck }], doc: 'width multiplier: every convolution gets max(1, round(base filters x alpha)) filters (default 1)' },
  { keyword: 'epochs', parts: [{ key: 'epochs', type: 'number', describe: 'the number of epochs', check: positiveInteger('epochs') }], doc: 'training epochs (default 20)' },
  { keyword: 'batch', parts: [{ key: 'batch', type: 'number', describe: 'the batch size', check: positiveInteger('batch') }], doc: 'batch size (default 4)' },
  { keyword: 'lr', parts: [{ key: 'lr', type: 'number', describe: 'the learning rate, e.g. 0.001', check: (v) => (v > 0 && v < 10 ? undefined : `lr must be above 0 and below 10, not ${v}`) }], doc: 'Adam learning rate (default 5e-5, as in the paper; small datasets train faster with 1e-3)' },
  { keyword: 'seed', parts: [{ key: 'seed', type: 'number', describe: 'a whole-number seed', check: nonNegativeInteger('seed') }], doc: 'seed of initialisation, split, shuffling and augmentation (default 1)' },
  { keyword: 'patience', parts: [{ key: 'patience', type: 'number', describe: 'epochs without improvement', check: nonNegativeInteger('patience') }], doc: 'stop after this many epochs without a lower validation loss (default 0: never)' },
];

const asClause: ClauseSpec = { keyword: 'as', parts: [{ key: 'as', type: 'name', describe: 'a name for the result', nameKind: 'model', defines: true }], doc: 'the name to keep the result under' };

STATEMENTS_LIST.push(
  {
    keyword: 'model',
    synopsis: 'model NETWORK [alpha A] [input HxWxC]',
    description:
      'Shows a network\'s size at a width multiplier: #params, log10(#params), size on disk at 32 bits, FLOPs and activation memory of one forward pass (closed forms, exact). ' +
      'Networks: unet, fcn, cumedvision, and squeezed-* with SqueezeNet fire modules. Default input 256x256x1.',
    head: [{ key: 'network', type: 'network', describe: 'a network' }],
    clauses: [
      trainingClauses[0]!,
      { keyword: 'input', parts: [{ key: 'input', type: 'size', describe: 'the input size' }], doc: 'input size HxW or HxWxC (default 256x256x1)' },
    ],
  },
  {
    keyword: 'train',
    synopsis: 'train NETWORK on DATASET [alpha A] [epochs E] [batch B] [lr X] [seed S] [patience P] [as NAME]',
    description:
      'Trains a network at width multiplier alpha on a dataset (80% of its images; 20% are held out for testing, by the seed), with a live loss plot. ' +
      'Then evaluates on the held-out images: F1 (Dice), IoU, sensitivity, specificity, precision, accuracy, cross-entropy, latency and size, with segmentation overlays. ' +
      'The model is kept under NAME (default NETWORK_DATASET).',
    head: [
      { key: 'network', type: 'network', describe: 'a network' },
      { literal: 'on' },
      { key: 'dataset', type: 'name', describe: 'a dataset name', nameKind: 'dataset' },
    ],
    clauses: [...trainingClauses, asClause],
  },
  {
    keyword: 'evaluate',
    synopsis: 'evaluate MODEL on DATASET',
    description: 'Evaluates a trained model on a dataset (its held-out images when it is the dataset the model was trained on, else all of them), with metrics, latency and overlays.',
    head: [
      { key: 'model', type: 'name', describe: 'a model name', nameKind: 'model' },
      { literal: 'on' },
      { key: 'dataset', type: 'name', describe: 'a dataset name', nameKind: 'dataset' },
    ],
    clauses: [],
  },
  {
    keyword: 'export',
    synopsis: 'export MODEL to "FOLDER"',
    description: 'Saves a model in the TensorFlow.js layers format (model.json + weights.bin, loadable with tf.loadLayersModel), with its network, alpha and training summary in the metadata.',
    head: [
      { key: 'model', type: 'name', describe: 'a model name', nameKind: 'model' },
      { literal: 'to' },
      { key: 'path', type: 'string', describe: 'the folder in double quotes' },
    ],
    clauses: [],
  },
);

export const STATEMENTS: readonly StatementSpec[] = STATEMENTS_LIST;

export const STATEMENT_KEYWORDS = STATEMENTS.map((s) => s.keyword);

export function statementSpec(keyword: string): StatementSpec | undefined {
  return STATEMENTS.find((s) => s.keyword === keyword);
}

export { alphaCheck };

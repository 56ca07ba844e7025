/** Every statement of the cell language. The kernel has one handler per keyword. */
import { accuracyCheck, alphaCheck, bitsCheck, inClosedRange, nonNegativeInteger, positiveInteger } from './checks';
import type { ClauseSpec } from './spec';
import type { StatementSpec } from './spec';
import { suggestStatement } from './annotation-statements';
import { baselineStatements } from './baseline-statements';
import { studyStatement } from './study-statements';

const sizeCheck = (value: number) => (Number.isInteger(value) && value >= 8 && value <= 8192 ? undefined : `size must be a whole number of pixels from 8 to 8192, not ${value}`);

const patchCheck = (value: number) => (Number.isInteger(value) && value >= 8 && value <= 8192 ? undefined : `patch must be a whole number of pixels from 8 to 8192, not ${value}`);

const PATCH_CLAUSE: ClauseSpec = { keyword: 'patch', parts: [{ key: 'patch', type: 'number', describe: 'the patch size in pixels', check: patchCheck }], doc: 'train on random N x N crops and predict tile by tile (the network input is N x N)' };

/** `fresh`: train even where the training cache holds the same training. */
const FRESH_CLAUSE: ClauseSpec = { keyword: 'fresh', parts: [], doc: 'train again even when the training cache holds this training (it restores finished trainings in seconds otherwise)' };

/** `format onnx|tfjs`: the deployment format of an export. */
const FORMAT_CLAUSE: ClauseSpec = { keyword: 'format', parts: [{ key: 'format', type: 'word', choices: ['onnx', 'tfjs'], describe: 'onnx or tfjs' }], doc: 'onnx (default: model.onnx) or tfjs (TensorFlow.js layers format)' };

const STATEMENTS_LIST: StatementSpec[] = [
  {
    keyword: 'dataset',
    synopsis: 'dataset NAME from "PATH" [images "GLOB"] [masks "GLOB"] [size N] [patch N] [scale auto]',
    description:
      'Defines a dataset from a folder of image/mask pairs (paired by file name; masks: 0 background, anything else foreground). ' +
      'Relative paths start at the notebook\'s folder; by default images are in images/ and masks in masks/. ' +
      '`size N` sets the working size (N x N) for training. ' +
      '`patch N` trains networks on random N x N crops of the images at their working size (native when no size is given) and predicts whole images tile by tile, so thin structures keep their pixels. ' +
      '`scale auto` (with `patch N`) downscales every image, keeping its aspect ratio, so that structures thicker than a quarter of the patch come down to that thickness and no image gets smaller than the patch: large objects (lesions, glands, polyps) are then seen whole, thin ones keep their pixels. ' +
      'Unreadable images are named and skipped.',
    head: [
      { key: 'name', type: 'name', describe: 'a name for the dataset', nameKind: 'dataset', defines: true },
      { literal: 'from' },
      { key: 'path', type: 'string', describe: 'the dataset folder in double quotes', path: { kind: 'folder' } },
    ],
    clauses: [
      { keyword: 'images', parts: [{ key: 'imagesGlob', type: 'string', describe: 'a glob for the image files, e.g. "images/*.png"' }], doc: 'which files are images (glob relative to the folder)' },
      { keyword: 'masks', parts: [{ key: 'masksGlob', type: 'string', describe: 'a glob for the mask files, e.g. "masks/*.png"' }], doc: 'which files are masks (glob relative to the folder)' },
      { keyword: 'size', parts: [{ key: 'size', type: 'number', describe: 'the working size in pixels', check: sizeCheck }], doc: 'working size in pixels (square)' },
      PATCH_CLAUSE,
      { keyword: 'scale', parts: [{ key: 'scale', type: 'word', choices: ['auto'], describe: 'auto' }], doc: 'downscale each image so that its structures fit the patch (needs patch N)' },
    ],
  },
  {
    keyword: 'synthetic',
    synopsis: 'synthetic NAME [complexity X] [count N] [size N] [seed S] [patch N]',
    description:
      'Generates the product\'s own synthetic microscopy dataset (cells of varying size, texture and noise with exact masks) and defines it as a dataset. ' +
      '`complexity` from 0 (few smooth cells) to 1 (many textured cells, strong noise); defaults: complexity 0.5, count 24, size 128, seed 1. ' +
      'The same options give the same images, generated once and reused. `patch N` trains on N x N crops, as for `dataset`.',
    head: [{ key: 'name', type: 'name', describe: 'a name for the dataset', nameKind: 'dataset', defines: true }],
    clauses: [
      { keyword: 'complexity', parts: [{ key: 'complexity', type: 'number', describe: 'a complexity from 0 to 1', check: inClosedRange('complexity', 0, 1) }], doc: '0 (simple) to 1 (complex)' },
      { keyword: 'count', parts: [{ key: 'count', type: 'number', describe: 'the number of image/mask pairs', check: positiveInteger('count') }], doc: 'number of image/mask pairs' },
      { keyword: 'size', parts: [{ key: 'size', type: 'number', describe: 'the image size in pixels', check: (v) => (Number.isInteger(v) && v >= 16 && v <= 4096 ? undefined : `size must be a whole number of pixels from 16 to 4096, not ${v}`) }], doc: 'width and height in pixels' },
      { keyword: 'seed', parts: [{ key: 'seed', type: 'number', describe: 'a whole-number seed', check: nonNegativeInteger('seed') }], doc: 'random seed' },
      PATCH_CLAUSE,
    ],
  },
  {
    keyword: 'complexity',
    synopsis: 'complexity NAME[, NAME...] [metrics all | ID[, ID...]] [per image]',
    description:
      'Measures the image complexity of datasets: mean, standard deviation and count of each measure, as a table, a bar chart and a per-image distribution. ' +
      'Default measure: JPEG complexity J (JPEG bytes per pixel at quality 75, Yu and Winkler 2013), which CC-Net uses to predict how much a network can shrink. ' +
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
      'Networks: unet, fcn, cumedvision, and squeezed-* with SqueezeNet fire modules (default input 256x256x1); the H&E study\'s patch networks dcnn and dccn (default input their RGB patch, 55x55x3 and 62x62x3). A table lists every layer\'s #params.',
    head: [{ key: 'network', type: 'network', describe: 'a network' }],
    clauses: [
      trainingClauses[0]!,
      { keyword: 'input', parts: [{ key: 'input', type: 'size', describe: 'the input size' }], doc: 'input size HxW or HxWxC (default 256x256x1)' },
    ],
  },
  {
    keyword: 'train',
    synopsis: 'train NETWORK on DATASET [alpha A] [epochs E] [batch B] [lr X] [seed S] [patience P] [fresh] [as NAME]',
    description:
      'Trains a network at width multiplier alpha on a dataset (80% of its images; 20% are held out for testing, by the seed), with a live loss plot. ' +
      'Then evaluates on the held-out images: F1 (Dice), IoU, sensitivity, specificity, precision, accuracy, cross-entropy, latency and size, with segmentation overlays. ' +
      'The model is kept under NAME (default NETWORK_DATASET). ' +
      'A finished training is kept in the training cache: the same statement on the same files restores it in seconds, after a kernel restart or a reload too; `fresh` trains again.',
    head: [
      { key: 'network', type: 'network', describe: 'a network' },
      { literal: 'on' },
      { key: 'dataset', type: 'name', describe: 'a dataset name', nameKind: 'dataset' },
    ],
    clauses: [...trainingClauses, FRESH_CLAUSE, asClause],
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
    synopsis: 'export MODEL to "FOLDER" [format onnx|tfjs]',
    description:
      'Writes a model\'s files with the weights it was evaluated with, and a model card beside them (model-card.json and MODEL_CARD.md: network, width, #params, bits, bytes on disk, training data and its complexity, held-out metrics, the prediction it was selected by, the statements that made it). ' +
      '`format onnx` (default): model.onnx for ONNX Runtime, TensorRT and OpenVINO, quantized kernels as int8 / int4 / int16 with DequantizeLinear per output channel. ' +
      '`format tfjs`: the TensorFlow.js layers format (model.json + weights.bin, loadable with tf.loadLayersModel), float32 weights (its compact formats cannot hold per-channel scales).',
    head: [
      { key: 'model', type: 'name', describe: 'a model name', nameKind: 'model' },
      { literal: 'to' },
      { key: 'path', type: 'string', describe: 'the folder in double quotes', path: { kind: 'folder' } },
    ],
    clauses: [FORMAT_CLAUSE],
  },
  {
    keyword: 'open',
    synopsis: 'open model "FOLDER" [on DATASET] as NAME',
    description:
      'Opens a model folder that export wrote (model.onnx, or model.json + weights.bin, with model-card.json) as a model of the session, with the weights it was evaluated with, so that evaluate, prune, quantize, compare, segment and export work on it. ' +
      '`on DATASET` makes DATASET its dataset (default: the card\'s training dataset, when defined): evaluate on it takes the held-out images of the card\'s seed, prune and quantize fine-tune on the rest.',
    head: [{ literal: 'model' }, { key: 'path', type: 'string', describe: 'the model folder in double quotes', path: { kind: 'folder' } }],
    clauses: [
      { keyword: 'on', parts: [{ key: 'dataset', type: 'name', describe: 'a dataset name', nameKind: 'dataset' }], doc: 'the dataset the model belongs to (its training data, for held-out evaluation and fine-tuning)' },
      { ...asClause, required: true },
    ],
  },
  {
    keyword: 'segment',
    synopsis: 'segment MODEL on "FOLDER or GLOB" to "OUT"',
    description:
      'Segments new, unlabelled images with a trained model: writes one mask PNG per image into OUT (0 background, 255 foreground, at the image\'s own size), predicted as evaluation predicts (at the training resolution, tile by tile for networks trained on patches), with overlays of the first images. ' +
      'Images: every image file in a folder, or a glob, relative to the notebook\'s folder. For exported models (ONNX or TensorFlow.js) use `ccnet segment MODEL_DIR IMAGES --out DIR`.',
    head: [
      { key: 'model', type: 'name', describe: 'a model name', nameKind: 'model' },
      { literal: 'on' },
      { key: 'images', type: 'string', describe: 'a folder of images or a glob in double quotes', path: { kind: 'folder' } },
      { literal: 'to' },
      { key: 'path', type: 'string', describe: 'the folder for the masks in double quotes', path: { kind: 'folder' } },
    ],
    clauses: [],
  },
);

const positive = (what: string) => (v: number) => (v > 0 ? undefined : `${what} must be above 0, not ${v}`);
const UNITS = ['KB', 'MB', 'GB'] as const;

/** The constraint of select and compress: exactly one of accuracy, disk, memory. */
const constraintClauses: ClauseSpec[] = [
  { keyword: 'accuracy', parts: [{ literal: '>=' }, { key: 'accuracy', type: 'number', describe: 'a fraction of the base network\'s F1, e.g. 0.95', check: accuracyCheck }], doc: 'case 2: the smallest width whose predicted F1 is at least this fraction of the base network\'s' },
  { keyword: 'of', parts: [{ literal: 'base' }], doc: 'the target is relative to the base network (the only meaning; optional)' },
  { keyword: 'disk', parts: [{ literal: '<=' }, { key: 'disk', type: 'number', describe: 'a size', check: positive('disk') }, { key: 'diskUnit', type: 'word', choices: UNITS, describe: 'a unit (KB, MB, GB)' }], doc: 'case 1a: the largest width whose weights fit this size on disk' },
  { keyword: 'bits', parts: [{ key: 'bits', type: 'number', describe: 'bits per weight', check: bitsCheck }], doc: 'bits per stored weight for the disk budget (default 32)' },
  { keyword: 'memory', parts: [{ literal: '<=' }, { key: 'memory', type: 'number', describe: 'a size', check: positive('memory') }, { key: 'memoryUnit', type: 'word', choices: UNITS, describe: 'a unit (KB, MB, GB)' }], doc: 'case 1b: the largest width whose weights and activations fit this memory' },
  { keyword: 'batch', parts: [{ key: 'batch', type: 'number', describe: 'the batch size', check: positiveInteger('batch') }], doc: 'batch size for the memory budget (default 1)' },
  { keyword: 'input', parts: [{ key: 'input', type: 'size', describe: 'the input size' }], doc: 'input size for the memory budget (default: the calibration\'s)' },
  { keyword: 'using', parts: [{ key: 'using', type: 'name', describe: 'a calibration name', nameKind: 'calibration' }], doc: 'which calibration (default: the last one for this network, else the one the product ships)' },
  { keyword: 'measure', parts: [{ key: 'measure', type: 'word', describe: 'a complexity measure id, e.g. j' }], doc: 'predict from this complexity measure (j: the paper\'s J for F1 and JB for IoU) instead of the one with the least held-out error in the calibration' },
  { keyword: 'allow', parts: [{ literal: 'extrapolation' }], doc: 'also consider widths narrower than the narrowest calibrated one (their predictions are extrapolated, with wider intervals and a warning)' },
  { keyword: 'probe', parts: [], doc: 'first train the base and the narrowest calibrated width briefly on this dataset (the calibration\'s probe epochs and seeds) and refine the predicted slope with their relative F1; needs a calibration made with probe E' },
];
const CONSTRAINT_GROUP = [['accuracy', 'disk', 'memory']];

STATEMENTS_LIST.push(
  {
    keyword: 'calibrate',
    synopsis: 'calibrate NETWORK on DATASET, DATASET... alphas A, A... [epochs E] [base W] [seeds S, S...] [batch B] [lr X] [patience P] [workers N] [queue "URL"] [resume "FILE"] [progress "FILE"] [probe E] [command "TEXT"] [as NAME]',
    description:
      'CC-Net\'s one-time step: trains the network at every alpha on every dataset, evaluates F1 and IoU on held-out images, fits relative accuracy against log10(#params) per dataset (the slope is the degree of degradation), ' +
      'then the slopes against complexity (J for F1, JB for IoU). `base W` scales the whole network (alpha 1 = W x the paper\'s width) so it trains on a CPU. Finished runs are kept: run it again after an interrupt to continue. Plots like the paper\'s Figs. 6 and 7.',
    head: [
      { key: 'network', type: 'network', describe: 'a network' },
      { literal: 'on' },
      { key: 'datasets', type: 'name', list: true, describe: 'a dataset name', nameKind: 'dataset' },
    ],
    clauses: [
      { keyword: 'alphas', parts: [{ key: 'alphas', type: 'number', list: true, describe: 'a width multiplier', check: alphaCheck }], required: true, doc: 'the widths to train, e.g. 1, 1/2, 1/4, 1/8 (1 is required: it is the base)' },
      trainingClauses[1]!,
      { keyword: 'base', parts: [{ key: 'base', type: 'number', describe: 'the base width', check: alphaCheck }], doc: 'width of alpha 1 relative to the paper\'s network (default 1)' },
      { keyword: 'seeds', parts: [{ key: 'seeds', type: 'number', list: true, describe: 'a seed', check: nonNegativeInteger('seed') }], doc: 'seeds to repeat each run with (default 1)' },
      trainingClauses[2]!,
      trainingClauses[3]!,
      { ...trainingClauses[5]!, doc: 'stop a run after this many epochs without a lower validation loss, so epochs is a cap and every width trains until it stops improving (default 0: all epochs)' },
      { keyword: 'workers', parts: [{ key: 'workers', type: 'number', describe: 'the number of worker processes', check: positiveInteger('workers') }], doc: 'train runs in parallel in this many worker kernels (default: one per core; 1 trains in this kernel)' },
      { keyword: 'queue', parts: [{ key: 'queue', type: 'string', describe: 'a Redis URL in double quotes, e.g. "redis://127.0.0.1:6379"' }], doc: 'put the runs on a BullMQ job queue on this Redis server instead of local workers; ccnet worker --queue URL processes on any machine train them' },
      { keyword: 'resume', parts: [{ key: 'resume', type: 'string', describe: 'a calibration file in double quotes', path: { kind: 'file', extensions: ['.json'] } }], doc: 'continue from the finished runs of this calibration file when its plan and datasets are the same (e.g. a partial calibration kept in a repository)' },
      { keyword: 'progress', parts: [{ key: 'progress', type: 'string', describe: 'a calibration file in double quotes', path: { kind: 'file', extensions: ['.json'] } }], doc: 'also write the finished runs to this file after every run, so that it holds a partial calibration (which resume continues) while the runs go on; the probe runs are added once all of them are done' },
      { keyword: 'probe', parts: [{ key: 'probe', type: 'number', describe: 'epochs of a probe run', check: positiveInteger('probe') }], doc: 'also train every dataset\'s base and narrowest width for this many epochs (the probe runs), so that select and compress with probe can refine a new dataset\'s prediction by the same short training on it' },
      { keyword: 'command', parts: [{ key: 'command', type: 'string', describe: 'a command line in double quotes' }], doc: 'the command line that makes this calibration, written into the file from its first autosave on (ccnet calibrate records its own), so that a partial file says how to continue it even after a crash' },
      { ...asClause, parts: [{ key: 'as', type: 'name', describe: 'a name for the calibration', nameKind: 'calibration', defines: true }] },
    ],
  },
  {
    keyword: 'load',
    synopsis: 'load calibration "FILE" as NAME',
    description: 'Loads a calibration file (made by calibrate, ccnet calibrate, or shipped) so that select and compress can use it.',
    head: [{ literal: 'calibration' }, { key: 'path', type: 'string', describe: 'the calibration file in double quotes', path: { kind: 'file', extensions: ['.json'] } }, { literal: 'as' }, { key: 'name', type: 'name', describe: 'a name for the calibration', nameKind: 'calibration', defines: true }],
    clauses: [],
  },
  {
    keyword: 'save',
    synopsis: 'save CALIBRATION to "FILE"',
    description: 'Writes a calibration to a JSON file (versioned, with every run and the fits) for other notebooks and the CLI.',
    head: [{ key: 'name', type: 'name', describe: 'a calibration name', nameKind: 'calibration' }, { literal: 'to' }, { key: 'path', type: 'string', describe: 'the file in double quotes', path: { kind: 'file', extensions: ['.json'] } }],
    clauses: [],
  },
  {
    keyword: 'select',
    synopsis: 'select NETWORK for DATASET (accuracy >= X [of base] | disk <= N MB [bits B] | memory <= N MB [batch K] [input HxW]) [using CALIBRATION] [probe]',
    description:
      'Picks the width multiplier for a dataset from its complexity and a calibration: the smallest width predicted to keep X of the base F1 (case 2), or the largest that fits a disk (case 1a) or memory (case 1b) budget. ' +
      'Shows alpha, #params, size, predicted relative F1 and IoU with their 90% prediction interval, and the next smaller width\'s prediction.',
    head: [{ key: 'network', type: 'network', describe: 'a network' }, { literal: 'for' }, { key: 'dataset', type: 'name', describe: 'a dataset name', nameKind: 'dataset' }],
    clauses: constraintClauses,
    exactlyOneOf: CONSTRAINT_GROUP,
  },
  {
    keyword: 'compress',
    synopsis: 'compress NETWORK for DATASET (accuracy >= X | disk <= N MB [bits B] | memory <= N MB ...) [epochs E] [using CALIBRATION] [probe] [fresh] [as NAME]',
    description:
      'CC-Net end to end: selects the width, trains the base and the selected network, evaluates both on held-out images, and reports measured against predicted relative F1 and IoU, with the parameter and latency reduction factors (paper Fig. 9). ' +
      'Both trainings go through the training cache (`fresh` trains again).',
    head: [{ key: 'network', type: 'network', describe: 'a network' }, { literal: 'for' }, { key: 'dataset', type: 'name', describe: 'a dataset name', nameKind: 'dataset' }],
    clauses: [...constraintClauses, trainingClauses[1]!, trainingClauses[3]!, trainingClauses[4]!, FRESH_CLAUSE, asClause],
    exactlyOneOf: CONSTRAINT_GROUP,
  },
);

STATEMENTS_LIST.push(...baselineStatements({ alpha: trainingClauses[0]!, epochs: trainingClauses[1]!, lr: trainingClauses[3]!, fresh: FRESH_CLAUSE, as: asClause }));

STATEMENTS_LIST.push(studyStatement({ alpha: trainingClauses[0]!, epochs: trainingClauses[1]!, lr: trainingClauses[3]!, fresh: FRESH_CLAUSE }));

STATEMENTS_LIST.push({
  keyword: 'energy',
  synopsis: 'energy MODEL on DATASET[, DATASET...]',
  description: 'Histograms of the energy (mean squared activation) of the feature maps of the model\'s first convolution over each dataset, as in the CC-Net paper\'s Fig. 1: datasets with many near-zero maps need fewer filters.',
  head: [{ key: 'model', type: 'name', describe: 'a model name', nameKind: 'model' }, { literal: 'on' }, { key: 'datasets', type: 'name', list: true, describe: 'a dataset name', nameKind: 'dataset' }],
  clauses: [],
});

STATEMENTS_LIST.push({
  keyword: 'race',
  synopsis: 'race NETWORK on DATASET accuracy >= X [using CALIBRATION] [measure ID] [allow extrapolation] [epochs E] [lr X]',
  description:
    'Time to a small model (the CC-Net paper\'s Table 3): CC-Net (measure complexity, select alpha, train once) against training the base network then pruning it step by step with L1 filter pruning and fine-tuning while it keeps X of the base F1. Reports wall-clock time, #params and F1 of both; it always trains (never restores from the training cache), since time is what it measures.',
  head: [{ key: 'network', type: 'network', describe: 'a network' }, { literal: 'on' }, { key: 'dataset', type: 'name', describe: 'a dataset name', nameKind: 'dataset' }],
  clauses: [
    { ...constraintClauses[0]!, required: true },
    ...constraintClauses.filter((c) => ['using', 'measure', 'allow'].includes(c.keyword)),
    trainingClauses[1]!,
    trainingClauses[3]!,
  ],
});

STATEMENTS_LIST.push(suggestStatement({ alpha: trainingClauses[0]!, epochs: trainingClauses[1]!, lr: trainingClauses[3]!, fresh: FRESH_CLAUSE }));

export const STATEMENTS: readonly StatementSpec[] = STATEMENTS_LIST;

export const STATEMENT_KEYWORDS = STATEMENTS.map((s) => s.keyword);

export function statementSpec(keyword: string): StatementSpec | undefined {
  return STATEMENTS.find((s) => s.keyword === keyword);
}

export { alphaCheck };

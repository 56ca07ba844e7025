/** Every statement of the cell language. The kernel has one handler per keyword. */
import { alphaCheck, inClosedRange, nonNegativeInteger, positiveInteger } from './checks';
import type { StatementSpec } from './spec';

const sizeCheck = (value: number) => (Number.isInteger(value) && value >= 8 && value <= 8192 ? undefined : `size must be a whole number of pixels from 8 to 8192, not ${value}`);

export const STATEMENTS: readonly StatementSpec[] = [
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

export const STATEMENT_KEYWORDS = STATEMENTS.map((s) => s.keyword);

export function statementSpec(keyword: string): StatementSpec | undefined {
  return STATEMENTS.find((s) => s.keyword === keyword);
}

export { alphaCheck };

/**
 * `ccnet evaluate | prune | quantize | export` on a model folder written by export: each opens
 * the folder as a session model (`open model`) in a kernel, runs the statement, and for prune,
 * quantize and export writes the result with its model card (--out). The dataset folder, where
 * one is needed, is prepared as the card's dataset statement prepared the training data (its
 * size, patch and scale clauses) unless --size, --patch or --scale say otherwise; evaluating on
 * the training folder takes its held-out images by the card's seed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { quote } from '../language/literal';
import { UsageError, type Command } from './command';

type Statements = (cell: string, json: boolean, signal: AbortSignal, pickJson?: (results: unknown[]) => unknown) => Promise<number>;

const DATASET_OPTIONS = { size: { type: 'string' }, patch: { type: 'string' }, scale: { type: 'string' } } as const;

/** The clauses after the path of the card's dataset statement (e.g. " patch 128 scale auto"), or the options given. */
function datasetClauses(modelDir: string, values: { size?: string; patch?: string; scale?: string }): string {
  if (values.size !== undefined || values.patch !== undefined || values.scale !== undefined) {
    return `${values.size ? ` size ${values.size}` : ''}${values.patch ? ` patch ${values.patch}` : ''}${values.scale ? ` scale ${values.scale}` : ''}`;
  }
  const card = join(resolve(modelDir), 'model-card.json');
  if (!existsSync(card)) return '';
  const madeBy = (JSON.parse(readFileSync(card, 'utf8')) as { madeBy?: string[] }).madeBy ?? [];
  const dataset = madeBy.find((line) => /^dataset\s/.test(line));
  if (dataset) return /^dataset\s+\S+\s+from\s+"(?:[^"\\]|\\.)*"(.*)$/.exec(dataset)?.[1] ?? '';
  const synthetic = madeBy.find((line) => /^synthetic\s/.test(line));
  return synthetic ? (/\bpatch\s+\d+/.exec(synthetic)?.[0] ?? '').replace(/^/, ' ').trimEnd() : '';
}

const lastModel = (name: string) => (results: unknown[]) => results.filter((r) => (r as { name?: string }).name === name && (r as { metrics?: unknown }).metrics !== undefined).at(-1) ?? results.at(-1);

function openLines(modelDir: string, dataDir: string | undefined, values: { size?: string; patch?: string; scale?: string }): string[] {
  if (!dataDir) return [`open model ${quote(resolve(modelDir))} as model`];
  return [`dataset data from ${quote(resolve(dataDir))}${datasetClauses(modelDir, values)}`, `open model ${quote(resolve(modelDir))} on data as model`];
}

export function modelCommands(statements: Statements): Record<string, Command> {
  const format = (value: string | undefined) => {
    if (value !== undefined && value !== 'onnx' && value !== 'tfjs') throw new UsageError(`--format takes onnx or tfjs, not ${value}`);
    return value ? ` format ${value}` : '';
  };
  return {
    evaluate: {
      synopsis: 'ccnet evaluate MODEL_DIR DIR [--all] [--size N | --patch N [--scale auto]] [--json]',
      summary: 'metrics of an exported model on a dataset folder',
      details: [
        'Opens MODEL_DIR (written by export, with its model card) and evaluates it on DIR, as the model\'s dataset: its',
        'held-out images by the card\'s seed (on the training folder, the images the model never saw). --all evaluates',
        'every image of DIR instead (a dataset it was not trained on). --json prints the model\'s metrics, size and latency.',
      ].join('\n'),
      run(args, signal) {
        const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DATASET_OPTIONS, all: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
        if (positionals.length !== 2) throw new UsageError('give an exported model folder and a dataset folder: ccnet evaluate MODEL_DIR DIR');
        const [modelDir, dataDir] = positionals as [string, string];
        const lines = values.all
          ? [`dataset every_image from ${quote(resolve(dataDir))}${datasetClauses(modelDir, values)}`, `open model ${quote(resolve(modelDir))} as model`, 'evaluate model on every_image']
          : [...openLines(modelDir, dataDir, values), 'evaluate model on data'];
        return statements(lines.join('\n'), values.json ?? false, signal, lastModel('model'));
      },
    },
    prune: {
      synopsis: 'ccnet prune MODEL_DIR DIR --method l1|magnitude --ratio R [--finetune E] [--lr X] --out FOLDER [--format onnx|tfjs] [--json]',
      summary: 'prune an exported model, fine-tune it on DIR, write the result',
      details: ['L1 filter pruning (physical) or magnitude pruning with retraining, as the prune statement, on the model of', 'MODEL_DIR fine-tuned on DIR (its training data); evaluated on the held-out images; written to FOLDER with its card.'].join('\n'),
      run(args, signal) {
        const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DATASET_OPTIONS, method: { type: 'string' }, ratio: { type: 'string' }, finetune: { type: 'string' }, lr: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean', default: false } } });
        if (positionals.length !== 2) throw new UsageError('give an exported model folder and its dataset folder: ccnet prune MODEL_DIR DIR --method l1 --ratio 0.5 --out FOLDER');
        if (!values.method || !values.ratio) throw new UsageError('give --method l1|magnitude and --ratio R');
        if (!values.out) throw new UsageError('give the folder to write the pruned model to: --out FOLDER');
        const [modelDir, dataDir] = positionals as [string, string];
        const prune = `prune model method ${values.method} ratio ${values.ratio}${values.finetune ? ` finetune ${values.finetune}` : ''}${values.lr ? ` lr ${values.lr}` : ''} as pruned`;
        return statements([...openLines(modelDir, dataDir, values), prune, `export pruned to ${quote(resolve(values.out))}${format(values.format)}`].join('\n'), values.json ?? false, signal, lastModel('pruned'));
      },
    },
    quantize: {
      synopsis: 'ccnet quantize MODEL_DIR DIR --bits B [--aware E] [--lr X] --out FOLDER [--format onnx|tfjs] [--json]',
      summary: 'quantize an exported model, evaluate it on DIR, write the result',
      details: ['Kernels to B bits symmetric per output channel, as the quantize statement (--aware E: E epochs of quantization-aware', 'training on DIR first); evaluated on the held-out images of DIR; written to FOLDER with its card (ONNX: integer kernels).'].join('\n'),
      run(args, signal) {
        const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DATASET_OPTIONS, bits: { type: 'string' }, aware: { type: 'string' }, lr: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean', default: false } } });
        if (positionals.length !== 2) throw new UsageError('give an exported model folder and its dataset folder: ccnet quantize MODEL_DIR DIR --bits 8 --out FOLDER');
        if (!values.bits) throw new UsageError('give the bits: --bits B (2 to 16)');
        if (!values.out) throw new UsageError('give the folder to write the quantized model to: --out FOLDER');
        const [modelDir, dataDir] = positionals as [string, string];
        const quantize = `quantize model bits ${values.bits}${values.aware ? ` aware epochs ${values.aware}` : ''}${values.lr ? ` lr ${values.lr}` : ''} as quantized`;
        return statements([...openLines(modelDir, dataDir, values), quantize, `export quantized to ${quote(resolve(values.out))}${format(values.format)}`].join('\n'), values.json ?? false, signal, lastModel('quantized'));
      },
    },
    export: {
      synopsis: 'ccnet export MODEL_DIR --format onnx|tfjs --out FOLDER [--json]',
      summary: 'write an exported model in another format (with its model card)',
      details: 'Opens MODEL_DIR and writes it to FOLDER as model.onnx (onnx) or model.json + weights.bin (tfjs), the same weights, with its card.',
      run(args, signal) {
        const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false } } });
        if (positionals.length !== 1) throw new UsageError('give one exported model folder: ccnet export MODEL_DIR --format onnx --out FOLDER');
        if (!values.out) throw new UsageError('give the folder to write to: --out FOLDER');
        return statements([...openLines(positionals[0]!, undefined, {}), `export model to ${quote(resolve(values.out))}${format(values.format)}`].join('\n'), values.json ?? false, signal, (results) => results.find((r) => (r as { files?: unknown }).files) ?? results.at(-1));
      },
    },
  };
}

/**
 * The `ccnet` command line: the product's work without VS Code (headless runs, CI).
 * Progress and warnings go to stderr; results (tables, --json) to stdout.
 */
import { join } from 'node:path';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { MEASURES } from '../engine/complexity/registry';
import { complexityCommand } from './complexity';
import { runNotebookFile } from './run';
import { quote } from '../language/literal';
import { clause, DATASET_OPTIONS, datasetClauses, datasetName } from './cell-text';
import { suggestCommand } from './suggest-command';
import { studyCommand } from './study-command';
import { runStatementCommand } from './statement-command';
import { KERNEL_VERSION } from '../protocol/version';
import { UsageError, type Command } from './command';
import { workerCommand } from './worker-command';
import { cacheCommand } from './cache-command';
import { segmentCommand } from './segment';
import { modelCommands } from './model-commands';
import { checkFormat, predictionCommands } from './ccnet-commands';

const log = (line: string) => process.stderr.write(`${line}\n`);
const cacheDir = () => process.env.CCNET_CACHE_DIR ?? join(homedir(), '.cache', 'ccnet');
const kernelPath = () => join(__dirname, 'kernel.js');

const COMMANDS: Record<string, Command> = {
  run: {
    synopsis: 'ccnet run FILE.ccnet [--out EXECUTED.ccnet] [--plots DIR] [--keep-going]',
    summary: 'execute a .ccnet notebook headlessly',
    details: [
      'Runs every ccnet code cell in order in a fresh kernel process and writes the executed notebook',
      '(default FILE.executed.ccnet next to FILE). Stops at the first failing cell unless --keep-going.',
      '  --out FILE      where to write the executed notebook',
      '  --plots DIR     also write every plot (Vega-Lite JSON + SVG) and image (PNG) to DIR',
      '  --keep-going    run the remaining cells after a failure',
      'Exit code: 0 when every cell succeeded, 1 when a cell failed, 2 for a usage error.',
    ].join('\n'),
    async run(args, signal) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { out: { type: 'string' }, plots: { type: 'string' }, 'keep-going': { type: 'boolean', default: false } },
      });
      if (positionals.length !== 1) throw new UsageError('give one notebook: ccnet run FILE.ccnet');
      return runNotebookFile({
        file: positionals[0]!,
        out: values.out,
        plotsDir: values.plots,
        keepGoing: values['keep-going'] ?? false,
        kernelPath: kernelPath(),
        cacheDir: cacheDir(),
        backend: process.env.CCNET_BACKEND ?? 'auto',
        log,
        signal,
      });
    },
  },
  complexity: {
    synopsis: 'ccnet complexity DIR... [--metrics all|ID,...] [--per-image] [--json]',
    summary: 'measure the image complexity of dataset folders',
    details: [
      'Each DIR holds images/ and masks/ (or give --images/--masks globs). Prints mean, std and count of',
      'each measure per dataset; --json prints one JSON object {measures, datasets} (the scripting contract).',
      '  --metrics LIST  measure ids separated by commas, or all (default: j)',
      '  --per-image     include per-image values',
      '  --images GLOB   image files relative to DIR (default images/*.png|jpg|tif|...)',
      '  --masks GLOB    mask files relative to DIR (default masks/*...)',
      '  --no-cache      measure every image again (values are cached by file content otherwise)',
      `Measures: ${MEASURES.map((m) => `${m.id} (${m.name})`).join(', ')}.`,
    ].join('\n'),
    async run(args, signal) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          metrics: { type: 'string' },
          'per-image': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          images: { type: 'string' },
          masks: { type: 'string' },
          'no-cache': { type: 'boolean', default: false },
        },
      });
      return complexityCommand({
        folders: positionals,
        metrics: values.metrics,
        perImage: values['per-image'] ?? false,
        json: values.json ?? false,
        imagesGlob: values.images,
        masksGlob: values.masks,
        cacheDir: values['no-cache'] ? undefined : cacheDir(),
        log,
        signal,
      });
    },
  },
};

/** Runs cell text in a kernel (see statement-command.ts). */
function statements(cell: string, json: boolean, signal: AbortSignal, pickJson?: (results: unknown[]) => unknown, pickMarkdown?: (tables: string[]) => string[]): Promise<number> {
  return runStatementCommand({ cell, json, baseDir: process.cwd(), kernelPath: kernelPath(), cacheDir: cacheDir(), backend: process.env.CCNET_BACKEND ?? 'auto', log, signal, pickJson, pickMarkdown });
}

Object.assign(COMMANDS, predictionCommands(statements));
COMMANDS.worker = workerCommand({ kernelPath, cacheDir, log });
COMMANDS.cache = cacheCommand(cacheDir, (line) => process.stdout.write(`${line}\n`));
COMMANDS.segment = segmentCommand(log);
COMMANDS.suggest = suggestCommand(statements);
COMMANDS.study = studyCommand(statements);
Object.assign(COMMANDS, modelCommands(statements));

COMMANDS.model = {
  synopsis: 'ccnet model NETWORK [--alpha A] [--input HxWxC] [--json]',
  summary: "a network's #params, size, FLOPs and activation memory at a width",
  details: [
    'NETWORK: unet, fcn, cumedvision, or squeezed-unet, squeezed-fcn, squeezed-cumedvision, or the H&E study\'s',
    'patch networks dcnn, dccn (input: their RGB patch, 55x55x3 and 62x62x3). --json lists every layer\'s #params.',
    '  --alpha A        width multiplier, e.g. 0.25 or 1/4 (default 1)',
    '  --input HxWxC    input size (default 256x256x1)',
    '  --json           print {params, log10Params, sizeMB, flops, activationMB, ...}',
  ].join('\n'),
  run(args, signal) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { alpha: { type: 'string' }, input: { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('give one network: ccnet model NETWORK');
    return statements(`model ${positionals[0]}${clause('alpha', values.alpha)}${clause('input', values.input)}`, values.json ?? false, signal);
  },
};

COMMANDS.train = {
  synopsis: 'ccnet train NETWORK DIR [--alpha A] [--epochs E] [--size N] [--patch N] [--fresh] [--out FOLDER [--format onnx|tfjs]] [--json]',
  summary: 'train a network on a dataset folder and evaluate it on held-out images',
  details: [
    'DIR holds images/ and masks/ (paired by file name). 20% of the images are held out for testing.',
    '  --alpha A        width multiplier (default 1)',
    '  --epochs E       epochs (default 20)',
    '  --batch B        batch size (default 4)',
    '  --lr X           Adam learning rate (default 5e-5)',
    '  --seed S         seed of initialisation, split and shuffling (default 1)',
    '  --size N         working size N x N (default: the images\' size)',
    '  --patch N        train on random N x N crops at the working size, predict tile by tile',
    '  --scale auto     downscale the images so that their structures fit the patch (needs --patch)',
    '  --fresh          train even when the training cache holds this training (see ccnet cache)',
    '  --out FOLDER     save the model there, with its model card (model-card.json, MODEL_CARD.md)',
    '  --format F       onnx (default: model.onnx) or tfjs (TensorFlow.js layers format: model.json + weights.bin)',
    '  --json           print the model\'s metrics, size, latency and training summary as JSON',
  ].join('\n'),
  run(args, signal) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        alpha: { type: 'string' }, epochs: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, seed: { type: 'string' },
        ...DATASET_OPTIONS, fresh: { type: 'boolean', default: false }, out: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 2) throw new UsageError('give a network and a dataset folder: ccnet train NETWORK DIR');
    checkFormat(values.format);
    const [network, folder] = positionals as [string, string];
    const data = datasetName(folder);
    const cell = [
      `dataset ${data} from ${quote(folder)}${datasetClauses(values)}`,
      `train ${network} on ${data}${clause('alpha', values.alpha)}${clause('epochs', values.epochs)}${clause('batch', values.batch)}${clause('lr', values.lr)}${clause('seed', values.seed)}${values.fresh ? ' fresh' : ''} as model`,
      values.out ? `export model to ${quote(values.out)}${clause('format', values.format)}` : '',
    ].filter(Boolean).join('\n');
    return statements(cell, values.json ?? false, signal, (results) => results.find((r) => (r as { training?: unknown }).training));
  },
};

function help(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.synopsis.length));
  return [
    `ccnet ${KERNEL_VERSION} - CC-Net Studio on the command line (image-complexity guided network compression)`,
    '',
    'Usage:',
    ...Object.values(COMMANDS).map((c) => `  ${c.synopsis.padEnd(width)}  ${c.summary}`),
    '  ccnet help COMMAND'.padEnd(width + 2) + '  details of one command',
    '',
    'Environment: CCNET_CACHE_DIR (generated data and caches; default ~/.cache/ccnet),',
    '             CCNET_BACKEND (auto | tensorflow-gpu | tensorflow | wasm | cpu; default auto)',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${KERNEL_VERSION}\n`);
    return 0;
  }
  if (name === 'help') {
    const command = rest[0] ? COMMANDS[rest[0]] : undefined;
    if (rest[0] && !command) throw new UsageError(`unknown command '${rest[0]}'`);
    process.stdout.write(command ? `${command.synopsis}\n\n${command.details}\n` : `${help()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(', ')} (ccnet --help)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.synopsis}\n\n${command.details}\n`);
    return 0;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => {
    log('interrupted: stopping after the current step (Ctrl+C again to quit now)');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  return command.run(rest, controller.signal);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    log(`ccnet: ${message}`);
    process.exitCode = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  },
);

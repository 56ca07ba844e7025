/**
 * The `ccnet` commands of CC-Net's method and of its comparison with the baselines: calibrate,
 * select, compress, compare, race and lodo. Each writes the cell text of its statements and runs
 * it in a kernel (main.ts passes `statements`); lodo reads a calibration file without a kernel.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCalibrationFile, shippedCalibrationFolder } from '../kernel/calibrations';
import { datasetClausesOf, quote } from '../language/literal';
import { clause, DATASET_OPTIONS, datasetClauses, datasetName } from './cell-text';
import { UsageError, type Command } from './command';
import { compareCell, ModelSpecError } from './compare';
import { leaveOneOutCommand, parseSeedList } from './leave-one-out';

type Statements = (cell: string, json: boolean, signal: AbortSignal, pickJson?: (results: unknown[]) => unknown, pickMarkdown?: (tables: string[]) => string[]) => Promise<number>;

/**
 * The dataset clauses of a command that predicts from a calibration: --size and --patch as given,
 * else the calibration's own recipe (its patch size, or its whole-image input size), so that the
 * network trains the way the calibration measured. A missing or malformed file adds nothing
 * here: the kernel reports it when it loads the calibration.
 */
async function calibratedDatasetClauses(values: { size?: string; patch?: string; scale?: string; calibration?: string }, network: string): Promise<string> {
  if (values.size !== undefined || values.patch !== undefined || values.scale !== undefined) return datasetClauses(values);
  const path = values.calibration ? resolve(values.calibration) : join(shippedCalibrationFolder(), `${network}.json`);
  try {
    const { plan } = await readCalibrationFile(path);
    return datasetClausesOf(plan);
  } catch {
    return '';
  }
}

/** The --format of commands that export: onnx or tfjs. */
export function checkFormat(format: string | undefined): void {
  if (format !== undefined && format !== 'onnx' && format !== 'tfjs') throw new UsageError(`--format takes onnx or tfjs, not ${format}`);
}

const constraintOptions = {
  measure: { type: 'string' },
  'allow-extrapolation': { type: 'boolean', default: false },
  probe: { type: 'boolean', default: false },
  accuracy: { type: 'string' },
  disk: { type: 'string' },
  bits: { type: 'string' },
  memory: { type: 'string' },
  batch: { type: 'string' },
  input: { type: 'string' },
} as const;

function constraintText(values: Record<string, string | boolean | undefined>): string {
  const given = ['accuracy', 'disk', 'memory'].filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one constraint: --accuracy X, --disk MB or --memory MB');
  const prediction = `${clause('measure', values.measure as string | undefined)}${values['allow-extrapolation'] ? ' allow extrapolation' : ''}${values.probe ? ' probe' : ''}`;
  if (values.accuracy !== undefined) return `accuracy >= ${values.accuracy}${prediction}`;
  if (values.disk !== undefined) return `disk <= ${values.disk} MB${clause('bits', values.bits as string | undefined)}${prediction}`;
  return `memory <= ${values.memory} MB${clause('batch', values.batch as string | undefined)}${clause('input', values.input as string | undefined)}${prediction}`;
}

/** A command line as a shell reads it back: words with shell-special characters single-quoted. */
export function shellCommandLine(words: readonly string[]): string {
  const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
  return words.map(shellWord).join(' ');
}

export function predictionCommands(statements: Statements): Record<string, Command> {
  const commands: Record<string, Command> = {};
  commands.calibrate = {
    synopsis: 'ccnet calibrate NETWORK DIR... --alphas 1,1/2,1/4,1/8 [--epochs E] [--base W] [--size N] [--patch N [--scale auto]] --out FILE',
    summary: "CC-Net's one-time calibration on several datasets, written to a file",
    details: [
      'Trains NETWORK at every alpha on every dataset folder (held-out 20% for testing), fits the degradation',
      'slopes and their relation to complexity, and writes the calibration file. Run the same command again',
      'after an interrupt: finished runs are kept (also those in --out, when it holds a partial calibration of the same plan).',
      '--out is written after every finished run, so an interrupted calibration leaves a partial file there (with its',
      'command) that the same command continues, on this machine or another; the probe runs are added once all are done.',
      '  --alphas LIST     widths relative to the base, with 1 (default 1,1/2,1/4,1/8)',
      '  --epochs E        epochs per run (default 20)',
      '  --base W          width of alpha 1 relative to the paper\'s network (default 1)',
      '  --size N          working size of every dataset (N x N)',
      '  --patch N         train on random N x N crops at the working size, predict tile by tile',
      '  --scale auto      downscale each dataset so that its structures fit the patch (needs --patch)',
      '  --synthetic-size N  image size of the synthetic datasets (default: --size, else 128)',
      '  --lr X            learning rate (default 5e-5)',
      '  --seeds LIST      seeds to repeat runs with (default 1)',
      '  --patience P      stop a run after P epochs without a lower validation loss (--epochs is then a cap)',
      '  --workers N       train runs in N worker processes at once (default: one per core)',
      '  --queue URL       put the runs on a BullMQ queue on Redis instead, for ccnet worker processes anywhere',
      '  --synthetic LIST  also calibrate on synthetic datasets of these complexities (e.g. 0.2,0.8)',
      '  --probe E         also train every dataset\'s base and narrowest width for E epochs (probe runs), for select --probe',
      '  --out FILE        the calibration file to write',
      '  --json            print the calibration as JSON',
    ].join('\n'),
    async run(args, signal) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          alphas: { type: 'string', default: '1,1/2,1/4,1/8' }, epochs: { type: 'string' }, base: { type: 'string' }, ...DATASET_OPTIONS, lr: { type: 'string' },
          seeds: { type: 'string' }, patience: { type: 'string' }, workers: { type: 'string' }, queue: { type: 'string' }, probe: { type: 'string' }, synthetic: { type: 'string' }, 'synthetic-size': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false },
        },
      });
      const [network, ...folders] = positionals;
      if (!network || folders.length + (values.synthetic ? values.synthetic.split(',').length : 0) < 2) throw new UsageError('give a network and at least two dataset folders: ccnet calibrate NETWORK DIR DIR... --out FILE');
      if (!values.out) throw new UsageError('give the calibration file to write: --out FILE');
      const taken = new Set<string>();
      const lines = folders.map((folder) => `dataset ${datasetName(folder, taken)} from ${quote(folder)}${datasetClauses(values)}`);
      for (const [i, complexity] of (values.synthetic ? values.synthetic.split(',') : []).entries()) {
        const name = datasetName(`synthetic_${complexity.replace('.', '_')}`, taken);
        lines.push(`synthetic ${name} complexity ${complexity} count 30 size ${values['synthetic-size'] ?? values.size ?? 128} seed ${i + 1}${clause('patch', values.patch)}`);
      }
      const list = (text: string | undefined) => text?.split(',').map((v) => v.trim()).join(', ');
      lines.push(
        `calibrate ${network} on ${[...taken].join(', ')} alphas ${list(values.alphas)}${clause('epochs', values.epochs)}${clause('base', values.base)}${clause('lr', values.lr)}${clause('seeds', list(values.seeds))}${clause('patience', values.patience)}${clause('workers', values.workers)}${values.queue ? ` queue ${quote(values.queue)}` : ''} resume ${quote(resolve(values.out))} progress ${quote(resolve(values.out))}${clause('probe', values.probe)} command ${quote(shellCommandLine(['ccnet', 'calibrate', ...args]))} as calibration`,
        `save calibration to ${quote(resolve(values.out))}`,
      );
      // the kernel writes the command into --out with every finished run, so even a killed calibration's partial file says how to go on
      const status = await statements(lines.join('\n'), values.json ?? false, signal, (results) => results.find((r) => (r as { format?: string }).format === 'ccnet-calibration'));
      return status;
    },
  };

  commands.select = {
    synopsis: 'ccnet select NETWORK DIR [--calibration FILE] (--accuracy X | --disk MB [--bits B] | --memory MB [--batch K] [--input HxW]) [--probe] [--size N | --patch N] [--json]',
    summary: 'pick the width multiplier for a dataset from a calibration',
    details: [
      'Measures the dataset\'s complexity (J, B) and predicts, from the calibration, the smallest width that keeps',
      'X of the base F1 (--accuracy), or the largest that fits a disk or memory budget in MB. Without',
      '--calibration the product\'s shipped calibration of NETWORK is used.',
      '--json prints {alpha, relativeAlpha, params, sizeMB, sizeAtBitsMB, predicted: {f1, iou: {value, low, high}}, domain, nextSmaller, ...}.',
      '  --accuracy X            the smallest width predicted to keep X of the base F1 (case 2)',
      '  --disk MB [--bits B]    the largest width whose ONNX file (B-bit kernels with per-channel scales, float32',
      '                          biases; default B 32) is at most MB (10^6 bytes) (case 1a)',
      '  --memory MB [--batch K] [--input HxW]  the largest width whose float32 weights and activations of one',
      '                          forward pass at batch K (default 1) and input HxW (default the calibration\'s) fit (case 1b)',
      '  --measure ID            predict from this complexity measure (j: the paper\'s J and JB); default: the calibration\'s',
      '                          measure with the least held-out error',
      '  --allow-extrapolation   also consider widths below the narrowest calibrated one (with a warning)',
      '  --probe                 first train the base and the narrowest calibrated width for the calibration\'s probe',
      '                          epochs on the dataset and refine the predicted slope by their relative F1',
      'Without --size, --patch or --scale the dataset is used the way the calibration was made (its patch and scale rule, or its input size).',
    ].join('\n'),
    async run(args, signal) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...constraintOptions, calibration: { type: 'string' }, ...DATASET_OPTIONS, json: { type: 'boolean', default: false } } });
      if (positionals.length !== 2) throw new UsageError('give a network and a dataset folder: ccnet select NETWORK DIR --accuracy 0.95');
      const [network, folder] = positionals as [string, string];
      const data = datasetName(folder);
      const lines = [`dataset ${data} from ${quote(folder)}${await calibratedDatasetClauses(values, network)}`];
      if (values.calibration) lines.push(`load calibration ${quote(resolve(values.calibration))} as calibration`);
      lines.push(`select ${network} for ${data} ${constraintText(values)}${values.calibration ? ' using calibration' : ''}`);
      return statements(lines.join('\n'), values.json ?? false, signal, (results) => results.find((r) => (r as { case?: string }).case !== undefined));
    },
  };

  commands.compress = {
    synopsis: 'ccnet compress NETWORK DIR [--calibration FILE] (--accuracy X | --disk MB [--bits B] | --memory MB [--batch K] [--input HxW]) [--probe] [--epochs E] [--fresh] [--out FOLDER [--format onnx|tfjs]] [--size N | --patch N] [--json]',
    summary: 'select the width, train, and report measured against predicted',
    details: [
      'Selects the width as ccnet select does, trains the base and the selected network on the dataset, evaluates',
      'both on held-out images and reports measured against predicted relative F1/IoU with the parameter and latency',
      'reduction factors. With --disk MB --bits B (B < 32) the selected network is delivered at B bits (post-training',
      'quantization, or quantization-aware training when that loses over 1% of the validation F1) and the quantized',
      'network is the one evaluated and reported; its ONNX file fits the budget. Trainings the cache holds (same files,',
      'widths and options) are restored; --fresh trains them again.',
      '  --out FOLDER    write the compressed model there, with its model card (model-card.json, MODEL_CARD.md)',
      '  --format F      onnx (default: model.onnx, integer kernels with DequantizeLinear) or tfjs (float32 weights)',
      'Without --size, --patch or --scale the dataset is used the way the calibration was made (its patch and scale rule, or its input size).',
    ].join('\n'),
    async run(args, signal) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...constraintOptions, calibration: { type: 'string' }, ...DATASET_OPTIONS, epochs: { type: 'string' }, fresh: { type: 'boolean', default: false }, out: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean', default: false } } });
      if (positionals.length !== 2) throw new UsageError('give a network and a dataset folder: ccnet compress NETWORK DIR --accuracy 0.95');
      checkFormat(values.format);
      const [network, folder] = positionals as [string, string];
      const data = datasetName(folder);
      const lines = [`dataset ${data} from ${quote(folder)}${await calibratedDatasetClauses(values, network)}`];
      if (values.calibration) lines.push(`load calibration ${quote(resolve(values.calibration))} as calibration`);
      lines.push(`compress ${network} for ${data} ${constraintText(values)}${clause('epochs', values.epochs)}${values.calibration ? ' using calibration' : ''}${values.fresh ? ' fresh' : ''} as compressed`);
      if (values.out) lines.push(`export compressed to ${quote(resolve(values.out))}${clause('format', values.format)}`);
      return statements(lines.join('\n'), values.json ?? false, signal, (results) => results.find((r) => (r as { measured?: unknown }).measured));
    },
  };

  commands.compare = {
    synopsis: 'ccnet compare DIR --models SPEC,SPEC... [--epochs E] [--finetune E] [--lr X] [--size N] [--patch N] [--json]',
    summary: 'train CC-Net widths and the baselines on one dataset and compare them in one table',
    details: [
      'Trains every base network once, derives the pruned and quantized baselines from it, evaluates all on the',
      'held-out 20% of DIR and prints one table (F1, IoU, Dice, sensitivity, specificity, accuracy, cross-entropy,',
      'log10 #params, size, latency, training time). --json prints {dataset, models: [...]}, one object per model.',
      '  --models LIST   model specs NETWORK[@ALPHA][+METHOD=VALUE] separated by commas, where METHOD is',
      '                  l1=RATIO (L1 filter pruning), magnitude=RATIO (magnitude pruning), q=BITS (post-training',
      '                  quantization) or qat=BITS (quantization-aware training); e.g.',
      '                  unet@1/8,squeezed-unet@1/8,unet@1/4+l1=0.5,unet@1/8+magnitude=0.8,unet@1/8+q=8',
      '  --epochs E      training epochs of each base network (default 20)',
      '  --finetune E    fine-tuning epochs after pruning, and quantization-aware epochs (default 5)',
      '  --lr X          learning rate of the base networks (default 5e-5)',
      '  --seed S        seed of initialisation, split and shuffling (default 1)',
      '  --size N        working size N x N',
      '  --patch N       train on random N x N crops at the working size, predict tile by tile',
      '  --scale auto    downscale the images so that their structures fit the patch (needs --patch)',
    ].join('\n'),
    run(args, signal) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { models: { type: 'string' }, epochs: { type: 'string' }, finetune: { type: 'string' }, lr: { type: 'string' }, seed: { type: 'string' }, ...DATASET_OPTIONS, json: { type: 'boolean', default: false } },
      });
      if (positionals.length !== 1) throw new UsageError('give one dataset folder: ccnet compare DIR --models unet@1/8,squeezed-unet@1/8');
      if (!values.models) throw new UsageError('give the models to compare: --models unet@1/8,squeezed-unet@1/8,unet@1/4+l1=0.5');
      const folder = positionals[0]!;
      const data = datasetName(folder);
      let cell: string;
      try {
        cell = compareCell({ dataset: data, models: values.models.split(','), epochs: values.epochs, finetune: values.finetune, lr: values.lr, seed: values.seed }).cell;
      } catch (error) {
        if (error instanceof ModelSpecError) throw new UsageError(error.message);
        throw error;
      }
      const lines = [`dataset ${data} from ${quote(folder)}${datasetClauses(values)}`, cell];
      return statements(lines.join('\n'), values.json ?? false, signal, (results) => results.find((r) => Array.isArray((r as { models?: unknown }).models)), (tables) => tables.slice(-1));
    },
  };

  commands.race = {
    synopsis: 'ccnet race NETWORK DIR --accuracy X [--calibration FILE] [--epochs E] [--lr X] [--size N] [--patch N] [--json]',
    summary: 'time to a small model: CC-Net against train-prune-fine-tune (paper Table 3)',
    details: [
      'Runs both paths on DIR with the same split, seed and recipe and reports wall-clock time, #params and',
      'relative F1: CC-Net (measure complexity, select alpha, train once) and train the base, then prune it with',
      'L1 filter pruning in steps (25%, 50%, 75%, 87.5% of the filters) with fine-tuning until the relative F1',
      'falls below X. Without --calibration the shipped calibration of NETWORK is used, and its epochs and',
      'learning rate unless given. --json prints {baseF1, selectedAlpha, rows: [{method, seconds, params, f1}], pruneSteps}.',
      'Without --size, --patch or --scale the dataset is used the way the calibration was made (its patch and scale rule, or its input size).',
    ].join('\n'),
    async run(args, signal) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { accuracy: { type: 'string' }, calibration: { type: 'string' }, epochs: { type: 'string' }, lr: { type: 'string' }, ...DATASET_OPTIONS, json: { type: 'boolean', default: false } } });
      if (positionals.length !== 2) throw new UsageError('give a network and a dataset folder: ccnet race NETWORK DIR --accuracy 0.9');
      if (values.accuracy === undefined) throw new UsageError('give the relative F1 to keep: --accuracy 0.9');
      const [network, folder] = positionals as [string, string];
      const data = datasetName(folder);
      const lines = [`dataset ${data} from ${quote(folder)}${await calibratedDatasetClauses(values, network)}`];
      if (values.calibration) lines.push(`load calibration ${quote(resolve(values.calibration))} as calibration`);
      lines.push(`race ${network} on ${data} accuracy >= ${values.accuracy}${values.calibration ? ' using calibration' : ''}${clause('epochs', values.epochs)}${clause('lr', values.lr)}`);
      return statements(lines.join('\n'), values.json ?? false, signal, (results) => results.find((r) => (r as { pruneSteps?: unknown }).pruneSteps), (tables) => tables.slice(-1));
    },
  };

  commands.lodo = {
    synopsis: 'ccnet lodo --calibration FILE [--target 0.9,0.95] [--measure ID | --measures all] [--probe | --probe-runs FILE] [--seeds LIST] [--json]',
    summary: 'leave-one-dataset-out check of the predictions of a calibration',
    details: [
      'For each dataset of the calibration: fit on the others, select the width for the target relative F1, and',
      'compare with the relative F1 the calibration measured on the held-out dataset at every calibrated width:',
      'oracle hits and misses, mean gap at the selected width, coverage and mean width of the 90% intervals,',
      'mean parameter reduction, and the same for always choosing the base.',
      '  --target LIST     relative F1 targets (default 0.9)',
      '  --measure ID      predict from this measure instead of the one with the least held-out error (j: the paper\'s J and JB)',
      '  --measures all    one summary row per candidate measure',
      '  --probe           refine each held-out slope by its probe runs (the calibration\'s probe section; the probe error',
      '                    comes from the other datasets only)',
      '  --probe-runs FILE the same with the runs of FILE: a calibration of the same plan at alpha 1 and the narrowest',
      '                    calibrated width, with fewer epochs',
      '  --seeds LIST      only the runs of these seeds (e.g. 1-5, then 6-10: how much the figures move with the seeds)',
      '  --json            print the reports as JSON, one per target (and measure)',
    ].join('\n'),
    run(args) {
      const { values } = parseArgs({ args, options: { calibration: { type: 'string' }, target: { type: 'string', default: '0.9' }, measure: { type: 'string' }, measures: { type: 'string' }, probe: { type: 'boolean', default: false }, 'probe-runs': { type: 'string' }, seeds: { type: 'string' }, json: { type: 'boolean', default: false } } });
      if (!values.calibration) throw new UsageError('give the calibration file: --calibration FILE');
      if ((values.probe || values['probe-runs']) && values.measures) throw new UsageError('--probe works with one measure at a time, not with --measures all');
      if (values.probe && values['probe-runs']) throw new UsageError('give --probe (the calibration\'s own probe runs) or --probe-runs FILE, not both');
      if (values.measures !== undefined && values.measures !== 'all') throw new UsageError('--measures takes all (one row per candidate measure); for one measure use --measure ID');
      const targets = values.target!.split(',').map((t) => Number(t.trim()));
      return leaveOneOutCommand(values.calibration, targets, { measure: values.measure, probe: values.probe ? 'embedded' : values['probe-runs'] ? { file: values['probe-runs'] } : undefined, allMeasures: values.measures === 'all', json: values.json ?? false, ...(values.seeds !== undefined ? { seeds: parseSeedList(values.seeds) } : {}) });
    },
  };
  return commands;
}

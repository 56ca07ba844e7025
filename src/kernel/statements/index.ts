/** Runs one parsed statement: the keyword picks the handler. */
import type { Statement } from '../../language';
import type { ExecutionContext } from '../context';
import { hasClause, optionalNumber, optionalSize, optionalString, stringArg, stringList } from './args';
import { runComplexity } from './complexity';
import { runDataset } from './dataset';
import { runSynthetic } from './synthetic';
import { runEvaluate, runModel, runTrain } from './train';
import { runExport } from './export';
import { runSegment } from './segment';
import { runOpen } from './open';
import { runCalibrate } from './calibrate';
import { runLoadCalibration, runSave } from './calibration-files';
import { runSelect, type ConstraintArgs } from './select';
import { runCompress } from './compress';
import { runCompare, runPrune, runQuantize } from './baselines';
import { runStudy } from './study';
import { runAnnotationStudy } from './study-annotation';
import { runQuantizationStudy } from './study-quantization';
import { UserInputError } from '../user-errors';
import { runEnergy } from './energy';
import { runRace } from './race';
import { runSuggest } from './suggest';

type Handler = (statement: Statement, context: ExecutionContext) => Promise<void>;

function constraintOf(s: Statement): ConstraintArgs {
  const constraint: ConstraintArgs = {};
  const accuracy = optionalNumber(s, 'accuracy');
  if (accuracy !== undefined) constraint.accuracy = accuracy;
  const disk = optionalNumber(s, 'disk');
  if (disk !== undefined) constraint.disk = { value: disk, unit: stringArg(s, 'diskUnit') };
  const memory = optionalNumber(s, 'memory');
  if (memory !== undefined) constraint.memory = { value: memory, unit: stringArg(s, 'memoryUnit') };
  const bits = optionalNumber(s, 'bits');
  if (bits !== undefined) constraint.bits = bits;
  const batch = optionalNumber(s, 'batch');
  if (batch !== undefined) constraint.batch = batch;
  const input = optionalSize(s, 'input');
  if (input) constraint.input = input;
  return constraint;
}

const numberList = (s: Statement, key: string) => stringList(s, key)?.map(Number);

/** What each kind of study takes and needs. */
const STUDY_CLAUSES = {
  samples: { takes: ['prune', 'r', 'workers'], needs: ['prune', 'r'], example: 'study samples unet on DATA prune 0, 0.5 r 0.1, 1' },
  annotation: { takes: ['labelled', 'suggest', 'rounds', 'bits', 'ensemble'], needs: ['labelled', 'suggest', 'rounds'], example: 'study annotation unet on DATA labelled 8 suggest 4 rounds 3 [bits 4]' },
  quantization: { takes: ['bits', 'fraction'], needs: ['bits', 'fraction'], example: 'study quantization unet on DATA bits 32, 8, 4 fraction 0.25, 0.5, 1' },
} as const;

const HANDLERS: Record<string, Handler> = {
  dataset: (s, c) =>
    runDataset(
      { name: stringArg(s, 'name'), path: stringArg(s, 'path'), imagesGlob: optionalString(s, 'imagesGlob'), masksGlob: optionalString(s, 'masksGlob'), sizePx: optionalNumber(s, 'size'), patchPx: optionalNumber(s, 'patch'), scale: optionalString(s, 'scale') as 'auto' | undefined },
      c,
    ),
  synthetic: (s, c) =>
    runSynthetic(
      { name: stringArg(s, 'name'), complexity: optionalNumber(s, 'complexity'), count: optionalNumber(s, 'count'), sizePx: optionalNumber(s, 'size'), seed: optionalNumber(s, 'seed'), patchPx: optionalNumber(s, 'patch') },
      c,
    ),
  complexity: (s, c) => {
    const metrics = stringList(s, 'metrics');
    return runComplexity({ datasets: stringList(s, 'datasets')!, metrics: metrics?.includes('all') ? 'all' : metrics, perImage: hasClause(s, 'per') }, c);
  },
  model: (s, c) => runModel({ network: stringArg(s, 'network'), alpha: optionalNumber(s, 'alpha'), input: optionalSize(s, 'input') }, c),
  train: (s, c) =>
    runTrain(
      {
        network: stringArg(s, 'network'),
        dataset: stringArg(s, 'dataset'),
        alpha: optionalNumber(s, 'alpha'),
        epochs: optionalNumber(s, 'epochs'),
        batch: optionalNumber(s, 'batch'),
        learningRate: optionalNumber(s, 'lr'),
        seed: optionalNumber(s, 'seed'),
        patience: optionalNumber(s, 'patience'),
        name: optionalString(s, 'as'),
      },
      c,
    ),
  evaluate: (s, c) => runEvaluate({ model: stringArg(s, 'model'), dataset: stringArg(s, 'dataset') }, c),
  export: (s, c) => runExport({ model: stringArg(s, 'model'), path: stringArg(s, 'path'), format: optionalString(s, 'format') as 'onnx' | 'tfjs' | undefined }, c),
  open: (s, c) => runOpen({ path: stringArg(s, 'path'), dataset: optionalString(s, 'dataset'), name: stringArg(s, 'as') }, c),
  segment: (s, c) => runSegment({ model: stringArg(s, 'model'), images: stringArg(s, 'images'), path: stringArg(s, 'path') }, c),
  calibrate: async (s, c) => {
    await runCalibrate(
      {
        network: stringArg(s, 'network'),
        datasets: stringList(s, 'datasets')!,
        alphas: numberList(s, 'alphas')!,
        epochs: optionalNumber(s, 'epochs'),
        base: optionalNumber(s, 'base'),
        seeds: numberList(s, 'seeds'),
        batch: optionalNumber(s, 'batch'),
        learningRate: optionalNumber(s, 'lr'),
        patience: optionalNumber(s, 'patience'),
        workers: optionalNumber(s, 'workers'),
        queue: optionalString(s, 'queue'),
        resume: optionalString(s, 'resume'),
        progress: optionalString(s, 'progress'),
        name: optionalString(s, 'as'),
        probe: optionalNumber(s, 'probe'),
        command: optionalString(s, 'command'),
      },
      c,
    );
  },
  prune: (s, c) =>
    runPrune(
      { model: stringArg(s, 'model'), method: stringArg(s, 'method') as 'l1' | 'magnitude', ratio: optionalNumber(s, 'ratio')!, finetune: optionalNumber(s, 'finetune'), learningRate: optionalNumber(s, 'lr'), name: optionalString(s, 'as') },
      c,
    ),
  quantize: (s, c) => runQuantize({ model: stringArg(s, 'model'), bits: optionalNumber(s, 'bits')!, awareEpochs: optionalNumber(s, 'aware'), learningRate: optionalNumber(s, 'lr'), name: optionalString(s, 'as') }, c),
  compare: (s, c) => runCompare({ models: stringList(s, 'models')!, dataset: stringArg(s, 'dataset') }, c),
  study: (s, c) => {
    const kind = stringArg(s, 'kind');
    const clauses = STUDY_CLAUSES[kind as keyof typeof STUDY_CLAUSES];
    const misplaced = ['prune', 'r', 'labelled', 'suggest', 'rounds', 'bits', 'ensemble', 'fraction', 'workers'].filter((k) => hasClause(s, k) && !(clauses.takes as readonly string[]).includes(k));
    if (misplaced.length > 0) throw new UserInputError(`study ${kind} takes no ${misplaced.join(', ')}: ${clauses.example}`);
    const missing = clauses.needs.filter((k) => !hasClause(s, k));
    if (missing.length > 0) throw new UserInputError(`study ${kind} needs ${missing.join(' and ')}: ${clauses.example}`);
    const common = { network: stringArg(s, 'network'), dataset: stringArg(s, 'dataset'), seeds: optionalNumber(s, 'seeds'), epochs: optionalNumber(s, 'epochs'), alpha: optionalNumber(s, 'alpha'), learningRate: optionalNumber(s, 'lr') };
    if (kind === 'annotation') {
      const bits = numberList(s, 'bits');
      if (bits && bits.length > 1) throw new UserInputError(`study annotation takes one width of quantized weights (bits ${bits[0]}), not ${bits.join(', ')}`);
      return runAnnotationStudy({ ...common, labelled: optionalNumber(s, 'labelled')!, suggest: optionalNumber(s, 'suggest')!, rounds: optionalNumber(s, 'rounds')!, bits: bits?.[0], ensemble: optionalNumber(s, 'ensemble') }, c);
    }
    if (kind === 'quantization') return runQuantizationStudy({ ...common, bits: numberList(s, 'bits')!, fractions: numberList(s, 'fraction')! }, c);
    return runStudy({ ...common, pruneRatios: numberList(s, 'prune')!, fractions: numberList(s, 'r')!, workers: optionalNumber(s, 'workers') }, c);
  },
  energy: (s, c) => runEnergy({ model: stringArg(s, 'model'), datasets: stringList(s, 'datasets')! }, c),
  race: (s, c) =>
    runRace({ network: stringArg(s, 'network'), dataset: stringArg(s, 'dataset'), accuracy: optionalNumber(s, 'accuracy')!, using: optionalString(s, 'using'), ...predictionOptionsOf(s), epochs: optionalNumber(s, 'epochs'), learningRate: optionalNumber(s, 'lr') }, c),
  suggest: (s, c) =>
    runSuggest(
      {
        count: optionalNumber(s, 'count')!,
        pool: stringArg(s, 'pool'),
        dataset: stringArg(s, 'dataset'),
        network: optionalString(s, 'network'),
        alpha: optionalNumber(s, 'alpha'),
        ensemble: optionalNumber(s, 'ensemble'),
        bits: optionalNumber(s, 'bits'),
        epochs: optionalNumber(s, 'epochs'),
        learningRate: optionalNumber(s, 'lr'),
        to: optionalString(s, 'to'),
      },
      c,
    ),
  load: (s, c) => runLoadCalibration({ path: stringArg(s, 'path'), name: stringArg(s, 'name') }, c),
  save: (s, c) => runSave({ name: stringArg(s, 'name'), path: stringArg(s, 'path') }, c),
  select: (s, c) => runSelect({ network: stringArg(s, 'network'), dataset: stringArg(s, 'dataset'), constraint: constraintOf(s), using: optionalString(s, 'using'), ...predictionOptionsOf(s) }, c),
  compress: (s, c) =>
    runCompress(
      {
        network: stringArg(s, 'network'),
        dataset: stringArg(s, 'dataset'),
        constraint: constraintOf(s),
        using: optionalString(s, 'using'),
        ...predictionOptionsOf(s),
        epochs: optionalNumber(s, 'epochs'),
        learningRate: optionalNumber(s, 'lr'),
        seed: optionalNumber(s, 'seed'),
        name: optionalString(s, 'as'),
      },
      c,
    ),
};

export async function runStatement(statement: Statement, context: ExecutionContext): Promise<void> {
  const handler = HANDLERS[statement.keyword];
  if (!handler) throw new Error(`internal: no handler for the statement '${statement.keyword}'`);
  await handler(statement, hasClause(statement, 'fresh') ? { ...context, freshTraining: true } : context);
}

/** Keywords the kernel can run (a test checks every language statement has a handler). */
export const HANDLED_KEYWORDS = Object.keys(HANDLERS);

/** The `measure ID`, `allow extrapolation` and `probe` clauses of select and compress. */
function predictionOptionsOf(s: Statement): { measure?: string; allowExtrapolation: boolean; probe: boolean } {
  const measure = optionalString(s, 'measure');
  return { ...(measure ? { measure } : {}), allowExtrapolation: hasClause(s, 'allow'), probe: hasClause(s, 'probe') };
}

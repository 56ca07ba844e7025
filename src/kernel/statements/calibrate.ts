/**
 * `calibrate`: CC-Net's one-time step, run: its plan and the calibration it continues come from
 * calibration-plan.ts; here its pending runs train (in this kernel, in worker kernels or on a
 * BullMQ queue), each autosaved as it finishes, then the probe runs. Its files: calibration-files.ts.
 */
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseCalibration, pendingRuns, serializeCalibration, withRun, type Calibration } from '../../engine/ccnet/calibration-file';
import { formatAlpha } from '../../engine/ccnet/select';
import { showCalibration } from './calibration-files';
import { autosavePath } from '../calibration-autosave';
import type { ExecutionContext } from '../context';
import { formatNumber, markdownOutput, markdownTable, newOutputId } from '../../protocol/outputs';
import { datasetOfIndex, runTrainRun } from '../train-run';
import { runOnWorkers } from '../training-pool';
import { calibrateProbe } from './calibrate-probe';
import { runOnQueue } from '../../queue/producer';
import type { TrainRunResult } from '../../protocol/protocol';
import { UnfinishedRuns } from '../views/calibration-runs';
import { UserInputError } from '../user-errors';
import { writeFileAtomically } from '../../engine/util/atomic-write';
import { planCalibration, resumedCalibration } from './calibration-plan';

export interface CalibrateArgs {
  network: string;
  datasets: string[];
  alphas: number[];
  epochs?: number;
  base?: number;
  seeds?: number[];
  batch?: number;
  learningRate?: number;
  /** Epochs without a lower validation loss before a run stops (the epochs are then a cap). */
  patience?: number;
  /** Worker kernels to train runs in parallel (default: one per core; 1 = in this kernel). */
  workers?: number;
  /** A Redis URL: put the runs on a BullMQ queue for `ccnet worker` processes instead of local workers. */
  queue?: string;
  /** A calibration file to continue from when it has the same plan (a partial file kept in a repository). */
  resume?: string;
  /** Also write the finished runs to this file after every run (a partial calibration that `resume` continues). */
  progress?: string;
  name?: string;
  /** Also train the probe runs for this many epochs (calibrate-probe.ts). */
  probe?: number;
  /** A calibration in memory to continue from, besides the autosave and `resume` (the probe's earlier runs). */
  earlier?: Calibration;
  /** Do not show the fit at the end (the probe's runs are shown with their calibration's). */
  quiet?: boolean;
  /** The command line that makes this calibration (ccnet calibrate's), written into every autosave and progress file. */
  command?: string;
}

/** One worker per core: the wasm backend trains on one thread. */
export function defaultCalibrationWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** The calibration's run table is redrawn at most this often while runs report progress. */
const RUN_TABLE_UPDATE_MS = 2000;

export async function runCalibrate(args: CalibrateArgs, context: ExecutionContext): Promise<Calibration> {
  const name = args.name ?? `${args.network.replace(/-/g, '_')}_calibration`;
  const backend = await context.session.ensureBackend();
  const planned = await planCalibration(args, context);
  const { plan, datasets: datasetInfo } = planned;
  let calibration = await resumedCalibration(args, name, planned, backend.summary, context);
  const autosave = autosavePath(context.cacheDir, name, plan);
  const pending = pendingRuns(calibration);
  const total = plan.alphas.length * datasetInfo.length * plan.seeds.length;
  const resumed = total - pending.length;
  // with a queue, the workers are wherever `ccnet worker` runs (recorded as 0 here)
  const workers = args.queue ? 0 : Math.max(1, Math.min(args.workers ?? defaultCalibrationWorkers(), pending.length || 1));
  const progressId = newOutputId('calibration-progress');
  const failures: string[] = [];
  // what every run not yet in the calibration is doing: waiting, running (where, how far), failed
  const unfinished = new UnfinishedRuns();
  let lastShown = 0;
  const showRuns = (first: boolean, throttled = false) => {
    context.session.runQueues.set(name, {
      calibration: name,
      on: args.queue ? `the queue ${args.queue}` : workers === 1 ? 'this kernel' : `${workers} workers`,
      done: calibration.runs.length,
      total,
      runs: unfinished.list(),
    });
    if (throttled && Date.now() - lastShown < RUN_TABLE_UPDATE_MS) return;
    lastShown = Date.now();
    const rows = calibration.runs.map((r) => [r.dataset, formatAlpha(r.alpha), formatNumber(r.width, 4), r.seed, r.params, formatNumber(r.f1, 3), formatNumber(r.iou, 3), formatNumber(r.trainMs / 1000, 3), r.epochsRun, r.restarts ?? 0]);
    const text = `Calibration **${name}**: ${calibration.runs.length}/${total} runs done${resumed ? ` (${resumed} kept from an earlier calibration of the same runs)` : ''}, ${args.queue ? `on the queue ${args.queue}` : `${workers} worker${workers === 1 ? '' : 's'}`}.\n\n${markdownTable(['dataset', 'alpha', 'width', 'seed', '#params', 'F1', 'IoU', 'training (s)', 'epochs', 'restarts'], rows)}${unfinished.markdown()}`;
    context.emit({ type: first ? 'output' : 'update', output: { ...markdownOutput(text), id: progressId } });
  };
  showRuns(true);
  const started = Date.now();
  let finished = 0;
  const runParams = pending.map((run, i) => ({
    ...run,
    dataset: datasetOfIndex(context.session.dataset(run.dataset)),
    network: plan.network,
    width: plan.baseWidth * run.alpha,
    epochs: plan.epochs,
    batch: plan.batch,
    learningRate: plan.learningRate,
    patience: plan.patience ?? 0,
    label: `run ${resumed + i + 1}/${total}: ${run.dataset} alpha ${formatAlpha(run.alpha)} seed ${run.seed}`,
  }));
  for (const run of runParams) unfinished.waiting(run.label);
  // a run's start is always drawn (a retried run says why); its progress at most every RUN_TABLE_UPDATE_MS
  const running = (label: string, where: string, detail?: string, throttled = true) => {
    unfinished.running(label, where, detail);
    showRuns(false, throttled);
  };
  const failed = (label: string, reason: string) => {
    unfinished.failed(label, reason);
    showRuns(false);
  };
  const record = async (run: (typeof runParams)[number], result: TrainRunResult) => {
    if (result.recipe !== plan.recipe) {
      failures.push(`${run.label}: trained with the recipe "${result.recipe}", not this calibration's "${plan.recipe}" (update CC-Net Studio on ${result.host ?? 'the worker'})`);
      failed(run.label, `trained with another recipe on ${result.host ?? 'a worker'}`);
      return;
    }
    unfinished.finished(run.label);

    calibration = withRun(calibration, {
      dataset: run.dataset.name,
      alpha: run.alpha,
      seed: run.seed,
      width: run.width,
      params: result.params,
      f1: result.metrics.f1!,
      iou: result.metrics.iou!,
      metrics: result.metrics,
      trainMs: result.trainMs,
      epochsRun: result.epochsRun,
      restarts: result.restarts,
      // where a run trained elsewhere than the calibrating kernel (a queue worker, another backend)
      ...(result.backend !== backend.summary ? { backend: result.backend } : {}),
      ...(result.host ? { host: result.host } : {}),
    });
    finished++;
    context.session.calibrations.set(name, calibration);
    await saveProgress();
    showRuns(false);
  };
  /** This execution's record beside the earlier ones (resumed executions keep theirs). */
  const withThisExecution = (c: Calibration): Calibration => ({ ...c, executions: [...(c.executions ?? []), { workers, wallMs: Date.now() - started, runs: finished }] });
  const progressFile = args.progress ? resolve(context.baseDir, args.progress) : undefined;
  const saveProgress = async () => {
    const text = serializeCalibration(withThisExecution(calibration));
    await writeFileAtomically(autosave, text);
    if (progressFile) await writeFileAtomically(progressFile, text);
  };
  try {
    // Largest runs first, so that the last runs to finish are short ones and no worker idles long.
    runParams.sort((a, b) => b.alpha - a.alpha);
    if (args.queue) {
      let waitingText = '';
      await runOnQueue(
        runParams.map((run) => ({ ...run, recipe: plan.recipe! })),
        args.queue,
        context.signal,
        {
          onCounts: (c) => {
            waitingText = `queue ${args.queue}: ${c.waiting} waiting, ${c.running} running, ${c.done} done, ${c.failed} failed`;
            context.emit({ type: 'progress', message: waitingText, fraction: (resumed + finished) / total });
          },
          onProgress: (run, progress) => {
            running(run.label, progress.worker, progress.message);
            context.emit({ type: 'progress', message: `${waitingText} | ${progress.worker}: ${progress.message}`, fraction: (resumed + finished) / total });
          },
          onDone: (run, result) => record(run, result),
          onFailed: (run, error) => {
            failures.push(`${run.label}: ${error.message}`);
            failed(run.label, error.message);
          },
        },
      );
    } else if (workers === 1 || !context.session.workerKernel) {
      for (const run of runParams) {
        running(run.label, 'this kernel', undefined, false);
        await record(run, await runTrainRun(run, context));
      }
    } else {
      const status = new Map<number, string>();
      await runOnWorkers(runParams, workers, context.session.workerKernel, context.signal, {
        onStart: (run, worker, attempt) => {
          status.set(worker, `${run.label}${attempt > 1 ? ` (attempt ${attempt}, its worker died)` : ''}`);
          running(run.label, `worker ${worker}`, attempt > 1 ? `attempt ${attempt} (its first worker died)` : undefined, false);
        },
        onEvent: (run, worker, event) => {
          if (event.type === 'progress') {
            status.set(worker, event.message);
            running(run.label, `worker ${worker}`, event.message);
          }
          else if (event.type === 'log') context.emit({ type: 'log', stream: event.stream, text: `worker ${worker}: ${event.text}` });
          else return;
          context.emit({ type: 'progress', message: [...status].sort(([a], [b]) => a - b).map(([w, m]) => `worker ${w}: ${m}`).join(' | '), fraction: (resumed + finished) / total });
        },
        onDone: (run, result) => record(run, result),
        onFailed: (run, error) => {
          failures.push(`${run.label}: ${error.message}`);
          failed(run.label, error.message);
        },
      });
    }
  } finally {
    // the dashboard's queue view shows running calibrations only
    context.session.runQueues.delete(name);
  }
  context.signal.throwIfAborted();
  if (finished > 0) calibration = withThisExecution(calibration);
  context.session.calibrations.set(name, calibration);
  await writeFileAtomically(autosave, serializeCalibration(calibration));
  if (failures.length) {
    throw new UserInputError(`calibration ${name}: ${failures.length} run${failures.length === 1 ? '' : 's'} failed (${failures.join('; ')}); the ${calibration.runs.length} finished runs are kept: run the statement again to retry the rest`);
  }
  if (args.probe !== undefined) {
    // the probe's runs autosave on their own; the progress file gets them once they are all done
    calibration = { ...calibration, probe: await calibrateProbe({ ...args, probe: args.probe, progress: undefined }, name, calibration, context, runCalibrate) };
    await writeFileAtomically(autosave, serializeCalibration(calibration));
    if (progressFile) await writeFileAtomically(progressFile, serializeCalibration(calibration));
  }
  const final = parseCalibration(serializeCalibration(calibration), name);
  context.session.calibrations.set(name, final);
  if (!args.quiet) await showCalibration(context, name, final);
  return final;
}

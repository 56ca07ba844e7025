/**
 * The JSON-RPC protocol between a kernel process and its clients (the VS Code controller and
 * the CLI), over node IPC with vscode-jsonrpc. Everything here is plain JSON.
 *
 * A client sends `cell/execute`; while it runs the kernel streams `kernel/event` notifications
 * tagged with the execution id; the request resolves when the cell is done. Cancelling the
 * request (vscode-jsonrpc's `$/cancelRequest`) aborts the running statement.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';

/** Output data by mime: a JSON value for JSON mimes, a string for text, base64 for binary. */
export interface KernelOutputItem {
  mime: string;
  data: unknown;
  encoding?: 'base64';
}

export interface KernelOutput {
  /** Stable id, so that a later `update` event can replace this output in place. */
  id: string;
  items: KernelOutputItem[];
  metadata?: Record<string, unknown>;
}

export type KernelEvent =
  | { type: 'output'; output: KernelOutput }
  | { type: 'update'; output: KernelOutput }
  | { type: 'progress'; message: string; fraction?: number }
  | { type: 'log'; stream: 'stdout' | 'stderr'; text: string };

export interface SourceRange {
  /** Offsets into the cell text. */
  start: number;
  end: number;
}

export interface ExecuteParams {
  executionId: string;
  /** The cell's text. */
  source: string;
  /** Folder that relative paths in the cell start from (the notebook's folder). */
  baseDir: string;
}

export interface CellError {
  name: string;
  message: string;
  /** Where in the cell the error is, when it is about the text. */
  range?: SourceRange;
  stack?: string;
}

export interface ExecuteResult {
  success: boolean;
  cancelled: boolean;
  statementsRun: number;
  error?: CellError;
}

export interface KernelInfo {
  pid: number;
  version: string;
  /** The TensorFlow.js backend, once one has been started (null before the first training). */
  backend: string | null;
  backendSummary: string | null;
}

export interface SessionNames {
  datasets: string[];
  models: string[];
  calibrations: string[];
}

export const ExecuteRequest = new RequestType<ExecuteParams, ExecuteResult, void>('cell/execute');
export const InfoRequest = new RequestType0<KernelInfo, void>('kernel/info');
export const NamesRequest = new RequestType0<SessionNames, void>('session/names');
export const EventNotification = new NotificationType<{ executionId: string; event: KernelEvent }>('kernel/event');

export interface SessionSummary {
  datasets: {
    name: string;
    root: string;
    pairs: number;
    skipped: number;
    /** Mean of each measured complexity, by measure id. */
    complexity: Record<string, number>;
  }[];
  /** The models of the session, with their held-out metrics once evaluated. */
  models: {
    name: string;
    network: string;
    alpha: number;
    dataset: string;
    origin: string;
    params: number;
    sizeMB: number;
    f1: number | null;
    iou: number | null;
    latencyMs: number | null;
  }[];
  /** The calibrations of the session (made by calibrate or loaded). */
  calibrations: { name: string; network: string; datasets: string[]; alphas: number[]; inputSize: number | null; epochs: number; fitted: boolean }[];
  /** Calibrations running now: their runs not finished yet (waiting, running where and how far, failed). */
  queues: RunQueueView[];
}

export interface RunQueueView {
  calibration: string;
  /** Local worker kernels ("2 workers"), this kernel, or a job queue's URL. */
  on: string;
  done: number;
  total: number;
  runs: { label: string; state: 'waiting' | 'running' | 'failed'; where?: string; detail?: string }[];
}

/** The summary of a kernel that has not started. */
export const EMPTY_SUMMARY: SessionSummary = { datasets: [], models: [], calibrations: [], queues: [] };

export const SummaryRequest = new RequestType0<SessionSummary, void>('session/summary');

/**
 * One independent training run handed to a worker kernel (a calibration's (dataset, alpha,
 * seed) run): the dataset as indexed by the calling kernel, so the worker reads the same files
 * the same way, and the training arguments. The worker keeps loaded datasets between runs.
 */
export interface TrainRunParams {
  executionId: string;
  dataset: { name: string; root: string; imagesGlob: string; masksGlob: string; sizePx?: number; patchPx?: number; scale?: number };
  network: string;
  /** Effective width multiplier (relative to the paper's network). */
  width: number;
  epochs: number;
  batch: number;
  learningRate: number;
  seed: number;
  /** Epochs without a lower validation loss before stopping; 0 = never. */
  patience: number;
  label: string;
  /** Train on these images of the seed's training split, in this order (a study's subset); default: all of it. */
  trainIds?: string[];
  /** Patch networks: train on this share r of the balanced patch pool (a study's N_tr = r x N_p patches). */
  patchFraction?: number;
  /** Store the trained model in the shared training cache, so that the caller restores it (default false: a calibration run is recorded by its file). */
  useCache?: boolean;
  /** With useCache: train even when the cache holds the training (the caller's statement says fresh). */
  fresh?: boolean;
}

export interface TrainRunResult {
  params: number;
  /** Mean of each held-out metric (f1, iou, ...). */
  metrics: Record<string, number>;
  trainMs: number;
  epochsRun: number;
  restarts: number;
  /** The worker's TensorFlow.js backend, as summarised by the kernel. */
  backend: string;
  /** The training recipe the worker's version trains with (a calibration refuses runs of another). */
  recipe: string;
  workerPid: number;
  /** The host that trained the run (queue workers). */
  host?: string;
}

export const TrainRunRequest = new RequestType<TrainRunParams, TrainRunResult, void>('run/train');

/** What a kernel remembers between cells: datasets, complexities, models, calibrations by name. */
import type { DatasetIndex } from '../engine/data/dataset';
import { loadSamples, type SegmentationSample } from '../engine/data/samples';
import type { TrainedModel } from './models';
import type { RunQueueView, SessionSummary } from '../protocol/protocol';
import { modelJson } from './views/training';
import type { Calibration } from '../engine/ccnet/calibration-file';
import type { DatasetComplexity } from '../engine/complexity/dataset-complexity';
import { ComplexityWorkerPool } from '../engine/complexity/worker-pool';
import { describeBackend, selectBackend, type BackendPreference, type BackendReport } from '../engine/backend/select';

/** What starting another kernel process like this one takes. */
export interface WorkerKernelOptions {
  kernelPath: string;
  cacheDir: string;
  backend: string;
  nativeModulePaths: string[];
  maxHeapMB?: number;
}

export class Session {
  readonly datasets = new Map<string, DatasetIndex>();
  /** Latest complexity result per dataset name. */
  readonly complexities = new Map<string, DatasetComplexity>();
  readonly models = new Map<string, TrainedModel>();
  readonly calibrations = new Map<string, Calibration>();
  /** The statement that defined each dataset (for model cards). */
  readonly datasetStatements = new Map<string, string>();
  private readonly samples = new Map<string, SegmentationSample[]>();
  private readonly fingerprints = new Map<string, Promise<string>>();
  /** The TensorFlow.js backend, once a statement needed one. */
  backend: { name: string; summary: string; report: BackendReport } | undefined;

  constructor(
    private readonly backendOptions: { preference: BackendPreference; nativeModulePaths: string[] } = { preference: 'auto', nativeModulePaths: [] },
    /** How to start worker kernels like this one (parallel calibration runs); absent where the session is not in a kernel process. */
    readonly workerKernel?: WorkerKernelOptions,
  ) {}

  /** Starts TensorFlow.js on the configured backend the first time a statement needs it. */
  async ensureBackend(): Promise<{ name: string; summary: string; report: BackendReport }> {
    if (!this.backend) {
      const report = await selectBackend(this.backendOptions.preference, { extraModulePaths: this.backendOptions.nativeModulePaths });
      this.backend = { name: report.name, summary: describeBackend(report), report };
    }
    return this.backend;
  }

  private pool: ComplexityWorkerPool | undefined;

  /** One pool of complexity workers for the whole session (started on first use). */
  complexityPool(): ComplexityWorkerPool {
    this.pool ??= new ComplexityWorkerPool();
    return this.pool;
  }

  dataset(name: string): DatasetIndex {
    const found = this.datasets.get(name);
    if (!found) {
      const known = [...this.datasets.keys()];
      throw new SessionNameError(
        `dataset '${name}' is not defined in this session; ${known.length ? `defined: ${known.join(', ')}` : 'define it first with: dataset ' + name + ' from "PATH"'}` +
          ' (after a kernel restart, run the cell that defines it again)',
      );
    }
    return found;
  }

  /** The runs of the calibrations running now, by calibration name (calibrate keeps it current). */
  readonly runQueues = new Map<string, RunQueueView>();

  summary(): SessionSummary {
    return {
      datasets: [...this.datasets.values()].map((index) => ({
        name: index.name,
        root: index.root,
        pairs: index.pairs.length,
        skipped: index.skipped.length,
        complexity: Object.fromEntries(Object.entries(this.complexities.get(index.name)?.measures ?? {}).map(([id, s]) => [id, s.mean])),
      })),
      models: [...this.models.values()].map(modelJson).map((m) => ({
        name: m.name,
        network: m.network,
        alpha: m.alpha,
        dataset: m.dataset,
        origin: m.origin,
        params: m.params,
        sizeMB: m.sizeMB,
        f1: m.metrics?.f1.mean ?? null,
        iou: m.metrics?.iou.mean ?? null,
        latencyMs: m.latency?.medianMsPerImage ?? null,
      })),
      calibrations: [...this.calibrations].map(([name, c]) => ({
        name,
        network: c.plan.network,
        datasets: c.datasets.map((d) => d.name),
        alphas: c.plan.alphas,
        inputSize: c.plan.inputSizePx,
        epochs: c.plan.epochs,
        fitted: c.fit !== undefined,
      })),
      queues: [...this.runQueues.values()],
    };
  }

  /** The dataset's samples at its working size (loaded once per definition). */
  async samplesOf(name: string, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<SegmentationSample[]> {
    const cached = this.samples.get(name);
    if (cached) return cached;
    const loaded = await loadSamples(this.dataset(name), { signal, onProgress });
    this.samples.set(name, loaded);
    return loaded;
  }

  /** The dataset's fingerprint (data/fingerprint.ts), computed once per definition. */
  fingerprintOf(name: string, compute: () => Promise<string>): Promise<string> {
    let found = this.fingerprints.get(name);
    if (!found) {
      found = compute();
      this.fingerprints.set(name, found);
      found.catch(() => this.fingerprints.delete(name));
    }
    return found;
  }

  /** Forgets what was derived from a dataset when it is defined again. */
  datasetChanged(name: string): void {
    this.samples.delete(name);
    this.fingerprints.delete(name);
    this.complexities.delete(name);
  }

  model(name: string): TrainedModel {
    const found = this.models.get(name);
    if (!found) {
      const known = [...this.models.keys()];
      throw new SessionNameError(
        `model '${name}' is not defined in this session; ${known.length ? `defined: ${known.join(', ')}` : `train one first, e.g. train unet on DATASET as ${name}`}` +
          ' (after a kernel restart, run the cells that make it again)',
      );
    }
    return found;
  }

  /**
   * Keeps a model under a name. The model it replaces is disposed once no name holds it any
   * more (two names may share one model, e.g. a compression whose selection is the base).
   */
  setModel(entry: TrainedModel): void {
    const previous = this.models.get(entry.name);
    this.models.set(entry.name, entry);
    if (previous && previous.model !== entry.model && ![...this.models.values()].some((m) => m.model === previous.model)) previous.model.dispose();
  }

  names() {
    return { datasets: [...this.datasets.keys()], models: [...this.models.keys()], calibrations: [...this.calibrations.keys()] };
  }
}

/** A statement used a name no earlier statement defined. */
export class SessionNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionNameError';
  }
}

/**
 * Independent training runs (a calibration's (dataset, alpha, seed) runs) spread over N worker
 * kernels: processes like the calling kernel, each training one run at a time on its own
 * backend (the wasm backend trains on one thread, so N = the number of cores keeps every core
 * busy). A run's numbers do not depend on which worker trains it: the worker indexes the same
 * files and trains with the same seed, split and recipe as the calling kernel would.
 *
 * - A worker that dies during a run (a crash, out of memory, a kill) fails only that run: it is
 *   trained once more on a new worker process and reported as failed if that dies too. A run the
 *   kernel itself rejects (a dataset error, say) is reported at once.
 * - Aborting the signal interrupts every worker's run (a worker that does not stop within the
 *   grace is killed) and starts no further run.
 * - Workers are started on first use and stopped when `runAll` returns.
 */
import { KernelClient, KernelDiedError } from '../host/client';
import type { KernelEvent, TrainRunParams, TrainRunResult } from '../protocol/protocol';
import type { WorkerKernelOptions } from './session';

export type TrainRunRequestParams = Omit<TrainRunParams, 'executionId'>;

export interface PoolCallbacks<R extends TrainRunRequestParams> {
  onStart?(run: R, worker: number, attempt: number): void;
  onEvent?(run: R, worker: number, event: KernelEvent): void;
  onDone(run: R, result: TrainRunResult, worker: number): Promise<void> | void;
  onFailed(run: R, error: Error, worker: number): void;
}

/** Attempts of a run whose worker process died, before the run is reported as failed. */
export const RUN_ATTEMPTS_ON_WORKER_DEATH = 2;

export async function runOnWorkers<R extends TrainRunRequestParams>(
  runs: readonly R[],
  workers: number,
  options: WorkerKernelOptions & { interruptGraceMs?: number; onLog?: (worker: number, text: string) => void },
  signal: AbortSignal,
  callbacks: PoolCallbacks<R>,
): Promise<void> {
  const queue = [...runs];
  const count = Math.max(1, Math.min(workers, queue.length));
  const clients = Array.from({ length: count }, (_, worker) =>
    new KernelClient({
      kernelPath: options.kernelPath,
      cacheDir: options.cacheDir,
      backend: options.backend,
      nativeModulePaths: options.nativeModulePaths,
      ...(options.maxHeapMB ? { maxHeapMB: options.maxHeapMB } : {}),
      interruptGraceMs: options.interruptGraceMs ?? 10_000,
      onLog: (_stream, text) => options.onLog?.(worker + 1, text),
    }),
  );
  const loop = async (worker: number) => {
    const client = clients[worker]!;
    for (let run = queue.shift(); run && !signal.aborted; run = queue.shift()) {
      for (let attempt = 1; ; attempt++) {
        callbacks.onStart?.(run, worker + 1, attempt);
        try {
          const result = await client.trainRun(run, (event) => callbacks.onEvent?.(run!, worker + 1, event), signal);
          await callbacks.onDone(run, result, worker + 1);
          break;
        } catch (error) {
          if (signal.aborted) return;
          const died = error instanceof KernelDiedError;
          if (died && attempt < RUN_ATTEMPTS_ON_WORKER_DEATH) continue; // the client starts a new process
          const message = error instanceof Error ? error.message : String(error);
          callbacks.onFailed(run, new Error(died ? `its worker died ${attempt} times (${message})` : message), worker + 1);
          break;
        }
      }
    }
  };
  try {
    await Promise.all(clients.map((_, worker) => loop(worker)));
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
  }
}

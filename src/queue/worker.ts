/**
 * `ccnet worker --queue URL`: a queue worker (see protocol.ts) that takes calibration runs from
 * BullMQ one at a time and trains each in a kernel process of its own (KernelClient.trainRun),
 * reporting progress on the job. A kernel that dies fails the job's attempt (BullMQ retries it);
 * a worker process that dies leaves its job's lock to expire, and another worker takes the job up
 * again (stalled-job detection). `pathMap` rewrites dataset folders for a machine that mounts
 * them elsewhere (FROM=TO prefixes).
 */
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { KernelClient } from '../host/client';
import { cancelKey, checkQueueUrl, QUEUE_NAME, type QueuedProgress, type QueuedResult, type QueuedRun } from './protocol';

export interface QueueWorkerOptions {
  url: string;
  kernelPath: string;
  cacheDir: string;
  backend: string;
  /** Dataset folder prefixes to rewrite: [from, to]. */
  pathMap: [string, string][];
  /** Lock of a job in ms: a dead worker's job is taken up again after about this long (default 30 s). */
  lockMs?: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

export function mapRoot(root: string, pathMap: readonly [string, string][]): string {
  for (const [fromGiven, toGiven] of pathMap) {
    const from = fromGiven.replace(/\/+$/, '');
    const to = toGiven.replace(/\/+$/, '');
    if (root === from || root.startsWith(`${from}/`)) return to + root.slice(from.length);
  }
  return root;
}

export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  checkQueueUrl(options.url);
  const name = `${hostname()}:${process.pid}`;
  const connection = new IORedis(options.url, { maxRetriesPerRequest: null, connectTimeout: 10_000 });
  const kernel = new KernelClient({ kernelPath: options.kernelPath, cacheDir: options.cacheDir, backend: options.backend, onLog: (_s, text) => process.stderr.write(text) });
  const lockDuration = options.lockMs ?? 30_000;
  const worker = new Worker<QueuedRun, QueuedResult>(
    QUEUE_NAME,
    async (job) => {
      const run = { ...job.data, dataset: { ...job.data.dataset, root: mapRoot(job.data.dataset.root, options.pathMap) } };
      const { recipe: _recipe, ...params } = run;
      options.log(`${name}: ${run.label} (job ${job.id}, attempt ${job.attemptsMade + 1})`);
      const controller = new AbortController();
      const cancelled = setInterval(() => {
        void connection.exists(cancelKey(job.id!)).then((n) => n > 0 && controller.abort()).catch(() => undefined);
      }, 1000);
      const stop = () => controller.abort();
      options.signal.addEventListener('abort', stop, { once: true });
      let lastProgress = 0;
      try {
        const result = await kernel.trainRun(
          params,
          (event) => {
            if (event.type !== 'progress' || Date.now() - lastProgress < 1000) return;
            lastProgress = Date.now();
            const progress: QueuedProgress = { message: event.message, ...(event.fraction !== undefined ? { fraction: event.fraction } : {}), worker: name };
            void job.updateProgress(progress as unknown as object).catch(() => undefined);
          },
          controller.signal,
        );
        options.log(`${name}: ${run.label}: F1 ${result.metrics.f1?.toFixed(4)}`);
        return { ...result, host: name };
      } finally {
        clearInterval(cancelled);
        options.signal.removeEventListener('abort', stop);
      }
    },
    { connection, concurrency: 1, lockDuration, stalledInterval: Math.max(1000, Math.round(lockDuration / 2)), maxStalledCount: 2 },
  );
  worker.on('failed', (job, error) => options.log(`${name}: job ${job?.id} failed: ${error.message}`));
  worker.on('error', (error) => options.log(`${name}: ${error.message}`));
  options.log(`${name}: waiting for calibration runs on ${options.url} (queue ${QUEUE_NAME})`);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await worker.close();
  await kernel.dispose();
  connection.disconnect();
}

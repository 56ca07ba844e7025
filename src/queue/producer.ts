/**
 * The calibrating kernel's side of the queue (see protocol.ts): adds the runs as jobs (one id
 * per run, so each ends in the calibration exactly once), follows them through BullMQ's queue
 * events (active, progress, completed, failed), and hands each result to the calibration as it
 * finishes. A job whose worker dies is taken up again by another worker when its lock expires
 * (stalled-job detection); a job that fails twice is reported as failed. Aborting removes the
 * waiting jobs and asks the workers of the active ones to stop.
 */
import { Queue, QueueEvents, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { cancelKey, checkQueueUrl, jobIdOf, QUEUE_NAME, type QueuedProgress, type QueuedResult, type QueuedRun } from './protocol';

export interface QueueCallbacks<R extends QueuedRun> {
  onActive?(run: R, worker: string): void;
  onProgress?(run: R, progress: QueuedProgress): void;
  onDone(run: R, result: QueuedResult): Promise<void> | void;
  onFailed(run: R, error: Error): void;
  /** Counts of the queue's jobs of this calibration, whenever one changes state. */
  onCounts?(counts: { waiting: number; running: number; done: number; failed: number }): void;
}

/** Attempts of a job (a worker's kernel that dies or fails) before it is reported as failed. */
export const QUEUE_JOB_ATTEMPTS = 2;

function connect(url: string): IORedis {
  checkQueueUrl(url);
  return new IORedis(url, { maxRetriesPerRequest: null, connectTimeout: 10_000 });
}

export async function runOnQueue<R extends QueuedRun>(runs: readonly R[], url: string, signal: AbortSignal, callbacks: QueueCallbacks<R>): Promise<void> {
  const connection = connect(url);
  const eventsConnection = connect(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
  const byId = new Map(runs.map((run) => [jobIdOf(run), run]));
  const state = new Map<string, 'waiting' | 'running' | 'done' | 'failed'>([...byId.keys()].map((id) => [id, 'waiting']));
  const counts = () => {
    const values = [...state.values()];
    callbacks.onCounts?.({ waiting: values.filter((v) => v === 'waiting').length, running: values.filter((v) => v === 'running').length, done: values.filter((v) => v === 'done').length, failed: values.filter((v) => v === 'failed').length });
  };
  let settle: () => void = () => undefined;
  const allSettled = new Promise<void>((resolve) => (settle = resolve));
  const check = () => [...state.values()].every((v) => v === 'done' || v === 'failed') && settle();
  const finish = async (id: string, job: Job | undefined) => {
    const run = byId.get(id);
    if (!run || state.get(id) === 'done' || state.get(id) === 'failed') return;
    if (job?.finishedOn && job.returnvalue && !job.failedReason) {
      state.set(id, 'done');
      await callbacks.onDone(run, job.returnvalue as QueuedResult);
    } else if (job?.finishedOn && job.failedReason && job.attemptsMade >= QUEUE_JOB_ATTEMPTS) {
      state.set(id, 'failed');
      callbacks.onFailed(run, new Error(job.failedReason));
    } else return;
    counts();
    check();
  };
  try {
    await events.waitUntilReady();
    events.on('active', ({ jobId }) => {
      const run = byId.get(jobId);
      if (!run || state.get(jobId) === 'done') return;
      state.set(jobId, 'running');
      callbacks.onActive?.(run, 'a worker');
      counts();
    });
    events.on('progress', ({ jobId, data }) => {
      const run = byId.get(jobId);
      if (run && typeof data === 'object' && data !== null) callbacks.onProgress?.(run, data as unknown as QueuedProgress);
    });
    const refresh = (jobId: string) => void queue.getJob(jobId).then((job) => finish(jobId, job)).catch(() => undefined);
    events.on('completed', ({ jobId }) => refresh(jobId));
    events.on('failed', ({ jobId }) => refresh(jobId));
    // add (an id already in the queue keeps its job: a finished one is reused, a waiting one waits)
    await queue.addBulk([...byId].map(([jobId, run]) => ({ name: 'train', data: run, opts: { jobId, attempts: QUEUE_JOB_ATTEMPTS, removeOnComplete: false, removeOnFail: false } })));
    for (const id of byId.keys()) {
      const job = await queue.getJob(id);
      if (job && (await job.isFailed()) && job.attemptsMade >= QUEUE_JOB_ATTEMPTS) await job.retry('failed'); // an earlier calibration's failure: try again
      else await finish(id, job);
    }
    counts();
    check();
    const onAbort = async () => {
      for (const [id, s] of state) {
        if (s === 'waiting') await (await queue.getJob(id))?.remove().catch(() => undefined);
        if (s === 'running') await connection.set(cancelKey(id), '1', 'EX', 3600);
      }
      settle();
    };
    signal.addEventListener('abort', () => void onAbort(), { once: true });
    if (signal.aborted) await onAbort();
    // queue events can be missed across a reconnection: look at unfinished jobs now and then
    const poll = setInterval(() => {
      for (const [id, s] of state) if (s === 'waiting' || s === 'running') refresh(id);
    }, 5000);
    try {
      await allSettled;
    } finally {
      clearInterval(poll);
    }
  } finally {
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
    connection.disconnect();
    eventsConnection.disconnect();
  }
}

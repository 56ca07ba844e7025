/**
 * Calibration runs on a distributed job queue: BullMQ on Redis (a maintained job engine that
 * Node speaks natively, with retries, progress and stalled-job detection). The calibrating
 * kernel adds one job per (dataset, alpha, seed) run; `ccnet worker --queue URL` processes, on
 * any machine that can read the datasets, take jobs one at a time and train them in a kernel
 * process of their own. This module is what both sides share: the queue's name, the job's
 * content and its id, and the key a producer sets to cancel a job.
 */
import { createHash } from 'node:crypto';
import type { TrainRunParams, TrainRunResult } from '../protocol/protocol';

export const QUEUE_NAME = 'ccnet-calibration-runs';

export type QueuedRun = Omit<TrainRunParams, 'executionId'> & { recipe: string };

/** What a worker reports while it trains a job. */
export interface QueuedProgress {
  message: string;
  fraction?: number;
  worker: string;
}

export type QueuedResult = TrainRunResult;

/**
 * A job's id: a hash of everything that determines the run (dataset files' location and
 * options, network, width, epochs, batch, learning rate, seed, patience, recipe), so the same run
 * added twice is one job, and an earlier calibration's finished job is reused, never trained twice.
 */
export function jobIdOf(run: QueuedRun): string {
  const { label: _label, ...determining } = run;
  return `run-${createHash('sha256').update(JSON.stringify(determining)).digest('hex').slice(0, 32)}`;
}

/** The Redis key a producer sets to ask the worker of a job to stop it. */
export function cancelKey(jobId: string): string {
  return `ccnet:cancel:${jobId}`;
}

/** Checks a queue URL before connecting (redis://HOST:PORT or rediss://). */
export function checkQueueUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`the queue "${url}" is not a URL; give one like redis://127.0.0.1:6379`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new RangeError(`the queue "${url}" must be a redis:// or rediss:// URL (BullMQ runs on Redis)`);
  return parsed;
}

/**
 * A small pool of worker threads that measure images, so that the CPU-bound measures use every
 * core (JavaScript runs one thread per isolate; sharp and OpenCV.js calls made from one thread
 * would leave the other cores mostly idle).
 *
 * Worker script: `workerScriptPath` if given, otherwise the first that exists of
 * `<dir of this module>/complexity-worker.js` (the esbuild bundle: dist/kernel.js and
 * dist/complexity-worker.js side by side) and `<dir>/worker.ts` (sources run under tsx, e.g.
 * tests). A `.ts` script is started through tsx's CommonJS register hook, since Node 20 does not
 * pass `--import tsx` on to worker threads.
 *
 * Workers start on first use, are unref'd while idle (a forgotten pool does not keep the
 * process alive) and end with close(). A worker that crashes fails its current image with the
 * error and is replaced for the next.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MeasureImageOutcome } from './measure-image';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

export interface WorkerPoolOptions {
  /** Worker threads (default: the number of cores, at least 1). */
  workerCount?: number;
  /** Path of the worker entry (see module doc for the default). */
  workerScriptPath?: string;
}

export interface ImageTask {
  bytes: Uint8Array;
  label: string;
  measureIds: string[];
  maxSidePx: number;
}

export const WORKER_SCRIPT_NAMES = ['complexity-worker.js', 'worker.ts', 'worker.js'];

/** The worker entry next to this module (bundle or sources); an error naming the places looked at. */
export function defaultWorkerScriptPath(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = WORKER_SCRIPT_NAMES.map((name) => join(here, name));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`no complexity worker script found (looked for ${candidates.join(', ')}); build it with esbuild as dist/complexity-worker.js or pass workerScriptPath`);
  }
  return found;
}

interface PoolWorker {
  worker: Worker;
  busy: { taskId: number; resolve: (outcome: MeasureImageOutcome) => void; reject: (error: Error) => void } | undefined;
}

interface QueuedTask {
  task: ImageTask;
  resolve: (outcome: MeasureImageOutcome) => void;
  reject: (error: Error) => void;
}

export class ComplexityWorkerPool {
  readonly workerCount: number;
  readonly workerScriptPath: string;
  private readonly workers: PoolWorker[] = [];
  private readonly queue: QueuedTask[] = [];
  private nextTaskId = 1;
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    this.workerCount = Math.max(1, Math.floor(options.workerCount ?? cpus().length));
    this.workerScriptPath = options.workerScriptPath ?? defaultWorkerScriptPath();
    if (!existsSync(this.workerScriptPath)) throw new Error(`complexity worker script ${this.workerScriptPath} does not exist; check workerScriptPath`);
  }

  /** Measures one image in a worker; the bytes are transferred (unusable afterwards here). */
  measure(task: ImageTask): Promise<MeasureImageOutcome> {
    if (this.closed) return Promise.reject(new Error('the complexity worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.queue.splice(0)) queued.reject(new Error('the complexity worker pool was closed'));
    await Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let idle = this.workers.find((w) => !w.busy);
      if (!idle && this.workers.length < this.workerCount) idle = this.startWorker();
      if (!idle) return;
      const { task, resolve, reject } = this.queue.shift()!;
      const taskId = this.nextTaskId++;
      idle.busy = { taskId, resolve, reject };
      idle.worker.ref();
      const bytes = ownedCopyIfShared(task.bytes);
      const request: WorkerRequest = { taskId, bytes, label: task.label, measureIds: task.measureIds, maxSidePx: task.maxSidePx };
      idle.worker.postMessage(request, [bytes.buffer as ArrayBuffer]);
    }
  }

  private startWorker(): PoolWorker {
    const script = this.workerScriptPath;
    const worker = script.endsWith('.ts')
      ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(script)});`, { eval: true })
      : new Worker(script);
    const entry: PoolWorker = { worker, busy: undefined };
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const busy = entry.busy;
      if (!busy || busy.taskId !== reply.taskId) return;
      entry.busy = undefined;
      worker.unref();
      if (reply.ok) busy.resolve({ ok: true, values: reply.values });
      else if ('decodeError' in reply) busy.resolve({ ok: false, decodeError: reply.decodeError });
      else busy.reject(new Error(`complexity worker failed: ${reply.error}`));
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.workers.indexOf(entry);
      if (index >= 0) this.workers.splice(index, 1);
      entry.busy?.reject(new Error(`complexity worker stopped: ${error.message}`));
      entry.busy = undefined;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed && this.workers.includes(entry)) fail(new Error(`exit code ${code}`));
    });
    this.workers.push(entry);
    return entry;
  }
}

/** The bytes in an ArrayBuffer of their own, so that transferring it detaches nothing else. */
function ownedCopyIfShared(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer)) return bytes;
  return new Uint8Array(bytes);
}

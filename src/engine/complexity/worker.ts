/**
 * Entry of a complexity worker thread (see worker-pool.ts): receives encoded image bytes and
 * measure ids, answers with the values or the decode error. It imports the registry itself,
 * so only ids cross the thread boundary.
 *
 * Bundling: esbuild must build this file as its own entry next to the kernel, e.g.
 * `entryPoints: { kernel: ..., 'complexity-worker': 'src/engine/complexity/worker.ts' }`
 * (node, cjs), giving dist/complexity-worker.js, which the pool finds by default.
 */
import { parentPort } from 'node:worker_threads';
import { measureImageBytes } from './measure-image';
import { resolveMeasures } from './registry';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

if (!parentPort) throw new Error('complexity worker.ts must run in a worker thread (new Worker), not as a main script');
const port = parentPort;

port.on('message', (request: WorkerRequest) => {
  void (async () => {
    let reply: WorkerReply;
    try {
      const outcome = await measureImageBytes(request.bytes, request.label, resolveMeasures(request.measureIds), request.maxSidePx);
      reply = { taskId: request.taskId, ...outcome };
    } catch (error) {
      reply = { taskId: request.taskId, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply);
  })();
});

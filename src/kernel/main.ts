/**
 * The kernel process: owns TensorFlow.js and the session, runs cells, streams events.
 * Started by KernelClient with `fork`; speaks JSON-RPC (vscode-jsonrpc) over node IPC.
 * Arguments: --cache-dir DIR, --backend auto|tensorflow-gpu|tensorflow|wasm|cpu,
 * --native-modules DIR (repeatable: folders where the native backends were installed).
 */
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { executeCell } from './execute';
import { EventNotification, ExecuteRequest, InfoRequest, NamesRequest, SummaryRequest, TrainRunRequest } from '../protocol/protocol';
import { runTrainRun } from './train-run';
import { Session } from './session';
import { BACKEND_PREFERENCES, type BackendPreference } from '../engine/backend/select';
import { KERNEL_VERSION } from '../protocol/version';

const { values } = parseArgs({
  options: { 'cache-dir': { type: 'string' }, backend: { type: 'string' }, 'native-modules': { type: 'string', multiple: true } },
  strict: false,
});
const cacheDir = typeof values['cache-dir'] === 'string' ? values['cache-dir'] : join(homedir(), '.cache', 'ccnet');

if (!process.send) {
  console.error('the CC-Net kernel must be started by CC-Net Studio or the ccnet CLI (it talks over an IPC channel)');
  process.exit(2);
}

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
const backendPreference = (typeof values.backend === 'string' ? values.backend : 'auto') as BackendPreference;
if (!BACKEND_PREFERENCES.includes(backendPreference)) {
  console.error(`unknown backend '${backendPreference}'; choose one of ${BACKEND_PREFERENCES.join(', ')}`);
  process.exit(2);
}
const nativeModulePaths = Array.isArray(values['native-modules']) ? values['native-modules'].filter((v): v is string => typeof v === 'string') : [];
const maxHeapMB = Number(/--max-old-space-size=(\d+)/.exec(process.execArgv.join(' '))?.[1]) || undefined;
// Worker kernels (parallel calibration runs) start like this one: same script, cache, backend and heap.
const session = new Session(
  { preference: backendPreference, nativeModulePaths },
  { kernelPath: process.argv[1]!, cacheDir, backend: backendPreference, nativeModulePaths, ...(maxHeapMB ? { maxHeapMB } : {}) },
);
let running = false;

connection.onRequest(ExecuteRequest, async (params, token) => {
  if (running) {
    return { success: false, cancelled: false, statementsRun: 0, error: { name: 'KernelBusy', message: 'the kernel is already running a cell; wait for it or interrupt it' } };
  }
  running = true;
  const controller = new AbortController();
  const subscription = token.onCancellationRequested(() => controller.abort());
  try {
    return await executeCell(params.source, {
      session,
      baseDir: params.baseDir,
      cacheDir,
      signal: controller.signal,
      emit: (event) => void connection.sendNotification(EventNotification, { executionId: params.executionId, event }),
    });
  } finally {
    subscription.dispose();
    running = false;
  }
});

connection.onRequest(TrainRunRequest, async (params, token) => {
  if (running) throw new Error('the kernel is already running a cell or a run; a worker takes one run at a time');
  running = true;
  const controller = new AbortController();
  const subscription = token.onCancellationRequested(() => controller.abort());
  try {
    const { executionId, ...run } = params;
    return await runTrainRun(run, {
      session,
      baseDir: process.cwd(),
      cacheDir,
      signal: controller.signal,
      emit: (event) => void connection.sendNotification(EventNotification, { executionId, event }),
    });
  } finally {
    subscription.dispose();
    running = false;
  }
});

connection.onRequest(InfoRequest, () => ({
  pid: process.pid,
  version: KERNEL_VERSION,
  backend: session.backend?.name ?? null,
  backendSummary: session.backend?.summary ?? null,
}));
connection.onRequest(NamesRequest, () => session.names());
connection.onRequest(SummaryRequest, () => session.summary());

process.on('disconnect', () => process.exit(0));
connection.onClose(() => process.exit(0));
connection.listen();

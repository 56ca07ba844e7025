/**
 * The kernel process: owns TensorFlow.js and the session, runs cells, streams events.
 * Started by KernelClient with `fork`; speaks JSON-RPC (vscode-jsonrpc) over node IPC.
 * Arguments: --cache-dir DIR.
 */
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { executeCell } from './execute';
import { EventNotification, ExecuteRequest, InfoRequest, NamesRequest, SummaryRequest } from './protocol';
import { Session } from './session';
import { KERNEL_VERSION } from './version';

const { values } = parseArgs({ options: { 'cache-dir': { type: 'string' } }, strict: false });
const cacheDir = typeof values['cache-dir'] === 'string' ? values['cache-dir'] : join(homedir(), '.cache', 'ccnet');

if (!process.send) {
  console.error('the CC-Net kernel must be started by CC-Net Studio or the ccnet CLI (it talks over an IPC channel)');
  process.exit(2);
}

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
const session = new Session();
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

/**
 * Starts a kernel process and talks to it. Used by the VS Code controller (one per notebook)
 * and by the CLI. Plain Node: no `vscode` import.
 *
 * - The kernel is forked with the current Node executable; inside VS Code's Electron host that
 *   needs ELECTRON_RUN_AS_NODE=1, which is always set (harmless for plain Node).
 * - `execute` streams events; aborting its signal asks the kernel to cancel the statement, and
 *   if the kernel has not finished `interruptGraceMs` later the process is killed (the session
 *   is lost, the notebook is not) and the result says so.
 * - If the process dies (a crash, out of memory), the running cell ends with a clear error and
 *   the next `execute` starts a new process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { CancellationTokenSource, createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  EventNotification,
  ExecuteRequest,
  InfoRequest,
  NamesRequest,
  SummaryRequest,
  TrainRunRequest,
  EMPTY_SUMMARY,
  type ExecuteResult,
  type KernelEvent,
  type KernelInfo,
  type SessionNames,
  type SessionSummary,
  type TrainRunParams,
  type TrainRunResult,
} from '../protocol/protocol';

export interface KernelClientOptions {
  /** Path of the bundled kernel entry (dist/kernel.js). */
  kernelPath: string;
  cacheDir: string;
  /** ccnet.backend: auto (default), tensorflow-gpu, tensorflow, wasm or cpu. */
  backend?: string;
  /** Folders where the native TensorFlow backends may be installed. */
  nativeModulePaths?: string[];
  /** Node executable; defaults to process.execPath. */
  execPath?: string;
  /** Heap limit of the kernel process in MB (node's --max-old-space-size). */
  maxHeapMB?: number;
  /** After an interrupt, how long to wait before killing the kernel. */
  interruptGraceMs?: number;
  env?: NodeJS.ProcessEnv;
  onLog?: (stream: 'stdout' | 'stderr', text: string) => void;
  onExit?: (description: string) => void;
}

interface Running {
  process: ChildProcess;
  connection: MessageConnection;
  exited: Promise<string>;
  stderrTail: string[];
}

let executionCounter = 0;
/** How long a rejected request waits for the process's exit before it counts as the kernel's own error. */
const EXIT_AFTER_REJECTION_MS = 500;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class KernelClient {
  private running: Running | undefined;
  private listeners = new Map<string, (event: KernelEvent) => void>();

  /**
   * `options` may be a function: it is called at every start, so a kernel started again after a
   * crash or a restart takes the settings in force then, not those of the first start.
   */
  constructor(private readonly optionsOrSource: KernelClientOptions | (() => KernelClientOptions)) {}

  private get options(): KernelClientOptions {
    return typeof this.optionsOrSource === 'function' ? this.optionsOrSource() : this.optionsOrSource;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  get pid(): number | undefined {
    return this.running?.process.pid;
  }

  /** Starts the process if it is not running. */
  async start(): Promise<void> {
    if (this.running) return;
    const execArgv = this.options.maxHeapMB ? [`--max-old-space-size=${this.options.maxHeapMB}`] : [];
    const args = ['--cache-dir', this.options.cacheDir, '--backend', this.options.backend ?? 'auto'];
    for (const path of this.options.nativeModulePaths ?? []) args.push('--native-modules', path);
    const child = fork(this.options.kernelPath, args, {
      execPath: this.options.execPath ?? process.execPath,
      execArgv,
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const stderrTail: string[] = [];
    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.options.onLog?.('stdout', text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderrTail.push(text);
      if (stderrTail.length > 20) stderrTail.shift();
      this.options.onLog?.('stderr', text);
    });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onNotification(EventNotification, ({ executionId, event }) => this.listeners.get(executionId)?.(event));
    connection.onError(() => undefined);
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => {
        const description = describeExit(code, signal, stderrTail.join(''));
        if (this.running?.process === child) this.running = undefined;
        connection.dispose();
        this.options.onExit?.(description);
        resolve(description);
      });
      child.once('error', (error) => {
        // a process that could not start (or be signalled) is not running: the next call starts a new one
        if (this.running?.process === child) this.running = undefined;
        connection.dispose();
        resolve(`the kernel process could not start: ${error.message}`);
      });
    });
    connection.listen();
    this.running = { process: child, connection, exited, stderrTail };
  }

  async info(): Promise<KernelInfo> {
    await this.start();
    return this.running!.connection.sendRequest(InfoRequest);
  }

  async names(): Promise<SessionNames> {
    if (!this.running) return { datasets: [], models: [], calibrations: [] };
    return this.running.connection.sendRequest(NamesRequest);
  }

  async summary(): Promise<SessionSummary> {
    if (!this.running) return EMPTY_SUMMARY;
    return this.running.connection.sendRequest(SummaryRequest);
  }

  /**
   * Runs one cell. Never throws for a failure inside the cell: the result carries the error.
   * A kernel that dies while running gives `success: false` with the reason.
   */
  async execute(source: string, baseDir: string, onEvent: (event: KernelEvent) => void, signal?: AbortSignal): Promise<ExecuteResult> {
    const interrupted: ExecuteResult = {
      success: false,
      cancelled: true,
      statementsRun: 0,
      error: { name: 'KernelRestarted', message: 'the kernel did not stop in time after the interrupt and was stopped; its session (datasets, models) is gone: run the cells that define them again' },
    };
    return this.call(
      (connection, executionId, token) => connection.sendRequest(ExecuteRequest, { executionId, source, baseDir }, token),
      onEvent,
      signal,
      (description, killedForInterrupt) =>
        killedForInterrupt
          ? interrupted
          : { success: false, cancelled: false, statementsRun: 0, error: { name: 'KernelDied', message: `${description}; the session (datasets, models) is lost and a new kernel starts on the next run; the notebook is unchanged` } },
    );
  }

  /**
   * Trains one independent run in this kernel (a worker of a calibration). Rejects with a
   * KernelDiedError when the process dies or is killed after an interrupt, and with the kernel's
   * error when the run fails.
   */
  async trainRun(params: Omit<TrainRunParams, 'executionId'>, onEvent: (event: KernelEvent) => void, signal?: AbortSignal): Promise<TrainRunResult> {
    return this.call(
      (connection, executionId, token) => connection.sendRequest(TrainRunRequest, { ...params, executionId }, token),
      onEvent,
      signal,
      (description, killedForInterrupt) => {
        throw new KernelDiedError(killedForInterrupt ? 'the worker kernel did not stop in time after the interrupt and was stopped' : description, killedForInterrupt);
      },
    );
  }

  /**
   * Sends one request that streams events under an execution id. Aborting `signal` cancels the
   * request and kills the process if it has not answered `interruptGraceMs` later; if the process
   * dies first, `onDeath` gives the result (or throws).
   */
  private async call<R>(
    send: (connection: MessageConnection, executionId: string, token: CancellationTokenSource['token']) => Promise<R>,
    onEvent: (event: KernelEvent) => void,
    signal: AbortSignal | undefined,
    onDeath: (description: string, killedForInterrupt: boolean) => R,
  ): Promise<R> {
    await this.start();
    const running = this.running!;
    const executionId = `exec-${process.pid}-${++executionCounter}`;
    this.listeners.set(executionId, onEvent);
    const tokenSource = new CancellationTokenSource();
    let killTimer: NodeJS.Timeout | undefined;
    let killedForInterrupt = false;
    const onAbort = () => {
      tokenSource.cancel();
      killTimer = setTimeout(() => {
        killedForInterrupt = true;
        running.process.kill('SIGKILL');
      }, this.options.interruptGraceMs ?? 10_000);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const request = send(running.connection, executionId, tokenSource.token);
      const died = running.exited.then((description) => onDeath(description, killedForInterrupt));
      died.catch(() => undefined); // a death after the answer is the next call's business, not an unhandled rejection
      // A request rejected because the process is going away resolves as its death; one the live
      // kernel rejected (its own error) is thrown at once.
      const rejected = (error: unknown) => Promise.race([died, delay(EXIT_AFTER_REJECTION_MS).then(() => { throw error; })]);
      return await Promise.race([request.catch(rejected), died]);
    } finally {
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      this.listeners.delete(executionId);
      tokenSource.dispose();
    }
  }

  /** Stops the process (the session is lost); the next call starts a new one. */
  async restart(): Promise<void> {
    await this.dispose();
    await this.start();
  }

  async dispose(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    running.process.kill('SIGTERM');
    const timer = setTimeout(() => running.process.kill('SIGKILL'), 3000);
    await running.exited;
    clearTimeout(timer);
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Allocation failed/i.test(stderr)) {
    return 'the kernel ran out of memory and stopped (try a smaller batch, input size or alpha, or raise ccnet.kernel.maxHeapMB)';
  }
  if (signal) return `the kernel process was stopped by signal ${signal}`;
  if (code !== null && code !== 0) return `the kernel process exited with code ${code}${stderr ? `: ${lastLine(stderr)}` : ''}`;
  return 'the kernel process exited';
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

/** The kernel process died (or was killed after an interrupt) while it ran a request. */
export class KernelDiedError extends Error {
  constructor(
    message: string,
    readonly interrupted: boolean,
  ) {
    super(message);
    this.name = 'KernelDiedError';
  }
}

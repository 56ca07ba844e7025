/**
 * The CC-Net notebook controller: one kernel process per open notebook, cells run one at a
 * time in order, outputs streamed in as the kernel produces them.
 *
 * - Interrupt (VS Code cancels the execution token) asks the kernel to stop the statement; the
 *   client kills the process if it does not stop within the grace period.
 * - A dead kernel gives the cell a clear error; the next run starts a fresh one.
 * - After a failing cell the rest of a "Run All" does not run.
 */
import * as vscode from 'vscode';
import type { KernelSettings } from '../host/kernel-settings';
import { KernelClient } from '../host/client';
import type { CellError, ExecuteResult, KernelEvent } from '../protocol/protocol';
import { toCellOutput, toOutputItem } from './cell-outputs';
import { NOTEBOOK_TYPE } from './serializer';

export interface ControllerOptions extends KernelSettings {
  log: vscode.LogOutputChannel;
  onKernelState: (notebook: vscode.NotebookDocument, state: KernelState, backendSummary?: string) => void;
}

export type KernelState = { kind: 'idle' | 'busy' | 'stopped' | 'crashed'; detail?: string };

export class CcnetController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly kernels = new Map<string, KernelClient>();
  private readonly queues = new Map<string, Promise<void>>();
  private executionOrder = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly options: ControllerOptions) {
    this.controller = vscode.notebooks.createNotebookController('ccnet-kernel', NOTEBOOK_TYPE, 'CC-Net Kernel');
    this.controller.supportedLanguages = ['ccnet'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'CC-Net Studio (TensorFlow.js in a separate process)';
    this.controller.executeHandler = (cells, notebook) => this.enqueue(cells, notebook);
    this.disposables.push(
      this.controller,
      vscode.workspace.onDidCloseNotebookDocument((notebook) => void this.shutdown(notebook)),
    );
  }

  /** The kernel of a notebook, started on demand. */
  kernelFor(notebook: vscode.NotebookDocument): KernelClient {
    const key = notebook.uri.toString();
    let kernel = this.kernels.get(key);
    if (!kernel) {
      // settings are read at every start, so a restart after a crash takes the current ones
      kernel = new KernelClient(() => ({
        kernelPath: this.options.kernelPath,
        cacheDir: this.options.cacheDir(),
        maxHeapMB: this.options.maxHeapMB(),
        interruptGraceMs: this.options.interruptGraceMs(),
        backend: this.options.backend(),
        nativeModulePaths: this.options.nativeModulePaths(),
        onLog: (_stream, text) => this.options.log.info(`[kernel ${notebookLabel(notebook)}] ${text.trimEnd()}`),
        onExit: (description) => {
          this.options.log.warn(`[kernel ${notebookLabel(notebook)}] ${description}`);
          this.options.onKernelState(notebook, { kind: 'stopped', detail: description });
        },
      }));
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  existingKernel(notebook: vscode.NotebookDocument): KernelClient | undefined {
    return this.kernels.get(notebook.uri.toString());
  }

  async restart(notebook: vscode.NotebookDocument): Promise<void> {
    await this.shutdown(notebook);
    await this.kernelFor(notebook).start();
    this.options.onKernelState(notebook, { kind: 'idle', detail: 'restarted' });
  }

  private async shutdown(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    const kernel = this.kernels.get(key);
    this.kernels.delete(key);
    await kernel?.dispose();
  }

  private enqueue(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    // Create the executions now so queued cells show as pending.
    const executions = cells.map((cell) => ({ cell, execution: this.controller.createNotebookCellExecution(cell) }));
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      let failed = false;
      for (const { cell, execution } of executions) {
        if (failed || execution.token.isCancellationRequested) {
          execution.start(Date.now());
          execution.end(undefined, Date.now());
          continue;
        }
        const ok = await this.runCell(cell, execution, notebook);
        if (!ok) failed = true;
      }
    });
    this.queues.set(key, next.catch(() => undefined));
    return next;
  }

  /** The abort of each notebook's running cell, by notebook URI. */
  private readonly runningCells = new Map<string, AbortController>();

  /**
   * Runs cell-language text in the notebook's kernel outside any cell (commands such as Export
   * Model), after the cells already queued, so it never overlaps a running cell.
   */
  runStatement(notebook: vscode.NotebookDocument, text: string, onEvent: (event: KernelEvent) => void, signal?: AbortSignal): Promise<ExecuteResult> {
    const key = notebook.uri.toString();
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      const kernel = this.kernelFor(notebook);
      this.options.onKernelState(notebook, { kind: 'busy' });
      try {
        return await kernel.execute(text, this.baseDir(notebook), onEvent, signal);
      } finally {
        this.options.onKernelState(notebook, kernel.isRunning ? { kind: 'idle' } : { kind: 'stopped' });
      }
    });
    this.queues.set(key, next.then(() => undefined, () => undefined));
    return next;
  }

  hasRunningCell(notebook: vscode.NotebookDocument): boolean {
    return this.runningCells.has(notebook.uri.toString());
  }

  /** Interrupts the notebook's running cell, as its stop button does; false when none runs. */
  interruptRunningCell(notebook: vscode.NotebookDocument): boolean {
    const abort = this.runningCells.get(notebook.uri.toString());
    abort?.abort();
    return abort !== undefined;
  }

  private baseDir(notebook: vscode.NotebookDocument): string {
    return notebook.uri.scheme === 'file' ? vscode.Uri.joinPath(notebook.uri, '..').fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  }

  private async runCell(cell: vscode.NotebookCell, execution: vscode.NotebookCellExecution, notebook: vscode.NotebookDocument): Promise<boolean> {
    execution.executionOrder = ++this.executionOrder;
    execution.start(Date.now());
    await execution.clearOutput();
    const kernel = this.kernelFor(notebook);
    const abort = new AbortController();
    const cancellation = execution.token.onCancellationRequested(() => abort.abort());
    this.runningCells.set(notebook.uri.toString(), abort);
    const outputs = new Map<string, vscode.NotebookCellOutput>();
    let progressOutput: vscode.NotebookCellOutput | undefined;
    let chain = Promise.resolve();
    // Apply events in order: each output operation waits for the previous one.
    const onEvent = (event: KernelEvent) => {
      chain = chain.then(() => this.applyEvent(event, execution, outputs, () => progressOutput, (o) => (progressOutput = o))).catch((error) => {
        this.options.log.error(`could not show an output: ${String(error)}`);
      });
    };
    this.options.onKernelState(notebook, { kind: 'busy' });
    try {
      const result = await kernel.execute(cell.document.getText(), this.baseDir(notebook), onEvent, abort.signal);
      await chain;
      if (progressOutput) await execution.replaceOutput([...outputs.values()]);
      if (result.error) await execution.appendOutput(errorOutput(result.error, cell));
      const info = kernel.isRunning ? await kernel.info().catch(() => undefined) : undefined;
      this.options.onKernelState(notebook, kernel.isRunning ? { kind: 'idle' } : { kind: 'crashed', detail: result.error?.message }, info?.backendSummary ?? undefined);
      if (result.cancelled) {
        execution.end(undefined, Date.now());
        return false;
      }
      execution.end(result.success, Date.now());
      return result.success;
    } catch (error) {
      await chain;
      await execution.appendOutput(errorOutput({ name: 'KernelError', message: error instanceof Error ? error.message : String(error) }, cell));
      execution.end(false, Date.now());
      this.options.onKernelState(notebook, { kind: 'crashed', detail: String(error) });
      return false;
    } finally {
      cancellation.dispose();
      if (this.runningCells.get(notebook.uri.toString()) === abort) this.runningCells.delete(notebook.uri.toString());
    }
  }

  private async applyEvent(
    event: KernelEvent,
    execution: vscode.NotebookCellExecution,
    outputs: Map<string, vscode.NotebookCellOutput>,
    getProgress: () => vscode.NotebookCellOutput | undefined,
    setProgress: (o: vscode.NotebookCellOutput | undefined) => void,
  ): Promise<void> {
    switch (event.type) {
      case 'output': {
        const output = toCellOutput(event.output);
        outputs.set(event.output.id, output);
        const progress = getProgress();
        if (progress) {
          // keep the progress line last
          await execution.replaceOutput([...outputs.values(), progress]);
        } else {
          await execution.appendOutput(output);
        }
        return;
      }
      case 'update': {
        const existing = outputs.get(event.output.id);
        if (existing) {
          const items = event.output.items.map(toOutputItem);
          await execution.replaceOutputItems(items, existing);
          // keep our copy current: the outputs are written again when the progress line goes
          existing.items = items;
        } else {
          const output = toCellOutput(event.output);
          outputs.set(event.output.id, output);
          await execution.appendOutput(output);
        }
        return;
      }
      case 'progress': {
        const percent = event.fraction !== undefined ? ` (${Math.round(event.fraction * 100)}%)` : '';
        const item = vscode.NotebookCellOutputItem.stdout(`${event.message}${percent}\n`);
        const progress = getProgress();
        if (progress) {
          await execution.replaceOutputItems(item, progress);
        } else {
          const created = new vscode.NotebookCellOutput([item], { progress: true });
          setProgress(created);
          await execution.appendOutput(created);
        }
        return;
      }
      case 'log':
        this.options.log.info(event.text.trimEnd());
        return;
    }
  }

  dispose(): void {
    for (const kernel of this.kernels.values()) void kernel.dispose();
    this.kernels.clear();
    for (const d of this.disposables) d.dispose();
  }
}

function errorOutput(error: CellError, cell: vscode.NotebookCell): vscode.NotebookCellOutput {
  let message = error.message;
  if (error.range) {
    const position = cell.document.positionAt(error.range.start);
    message = `${message} (line ${position.line + 1}, column ${position.character + 1})`;
  }
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: error.name, message, stack: error.stack })]);
}

function notebookLabel(notebook: vscode.NotebookDocument): string {
  return notebook.uri.path.split('/').pop() ?? notebook.uri.toString();
}

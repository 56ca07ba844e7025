/** A status-bar item with the active notebook's kernel state and TensorFlow.js backend. */
import * as vscode from 'vscode';
import type { KernelState } from '../notebook/controller';
import { NOTEBOOK_TYPE } from '../notebook/serializer';

export class KernelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ccnet.kernel', vscode.StatusBarAlignment.Left, 100);
  private readonly states = new Map<string, KernelState & { backend?: string }>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.item.name = 'CC-Net Kernel';
    this.item.command = 'ccnet.showKernelLog';
    this.subscription = vscode.window.onDidChangeActiveNotebookEditor(() => this.refresh());
    this.refresh();
  }

  set(notebook: vscode.NotebookDocument, state: KernelState, backend?: string): void {
    const previous = this.states.get(notebook.uri.toString());
    this.states.set(notebook.uri.toString(), { ...state, backend: backend ?? previous?.backend });
    this.refresh();
  }

  private refresh(): void {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) {
      this.item.hide();
      return;
    }
    const state = this.states.get(notebook.uri.toString()) ?? { kind: 'stopped' as const, detail: 'starts on the first run' };
    const icon = { idle: '$(circle-outline)', busy: '$(sync~spin)', stopped: '$(circle-slash)', crashed: '$(error)' }[state.kind];
    const backendName = state.backend?.split(' ')[0];
    this.item.text = `${icon} CC-Net ${state.kind}${backendName ? ` · ${backendName}` : ''}`;
    this.item.tooltip = [`CC-Net kernel: ${state.kind}`, state.detail, state.backend ? `backend: ${state.backend}` : undefined, 'Click for the kernel log']
      .filter(Boolean)
      .join('\n');
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

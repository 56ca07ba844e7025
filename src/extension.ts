/** Activation: wires the serializer, controller, language support, commands and status bar. */
import * as vscode from 'vscode';
import { registerDashboard } from './commands/dashboard';
import { registerChooseBackend } from './commands/choose-backend';
import { nativeBackendFolder, registerInstallBackend } from './commands/install-backend';
import { registerNotebookCommands } from './commands/notebook-commands';
import { KernelStatusBar } from './editor/kernel-status';
import { registerLanguageSupport } from './editor/language-support';
import { CcnetController } from './notebook/controller';
import { CcnetSerializer, NOTEBOOK_TYPE } from './notebook/serializer';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('CC-Net Kernel', { log: true });
  const status = new KernelStatusBar();
  const config = () => vscode.workspace.getConfiguration('ccnet');
  const controller = new CcnetController({
    kernelPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'kernel.js').fsPath,
    cacheDir: () => config().get<string>('cacheDirectory') || vscode.Uri.joinPath(context.globalStorageUri, 'cache').fsPath,
    maxHeapMB: () => config().get<number>('kernel.maxHeapMB', 8192),
    interruptGraceMs: () => 1000 * config().get<number>('kernel.interruptGraceSeconds', 10),
    backend: () => config().get<string>('backend', 'auto'),
    nativeModulePaths: () => [nativeBackendFolder(context)],
    log,
    onKernelState: (notebook, state, backend) => status.set(notebook, state, backend),
  });
  context.subscriptions.push(
    log,
    status,
    controller,
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new CcnetSerializer(), { transientOutputs: false }),
    registerNotebookCommands(context, controller, log),
    registerDashboard(context, controller),
    registerInstallBackend(context, log),
    registerChooseBackend(),
    registerLanguageSupport(),
  );
}

export function deactivate(): void {}

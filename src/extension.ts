/** Activation: wires the serializer, controller, language support, commands and status bar. */
import * as vscode from 'vscode';
import { registerDashboard } from './commands/dashboard';
import { registerChooseBackend } from './commands/choose-backend';
import { registerCompressCommand } from './commands/compress';
import { registerBaselineCommand } from './commands/baseline';
import { registerInstallBackend } from './commands/install-backend';
import { kernelSettings } from './editor/kernel-settings';
import { registerNotebookCommands } from './commands/notebook-commands';
import { registerExportModelCommand } from './commands/export-model';
import { KernelStatusBar } from './editor/kernel-status';
import { registerLanguageSupport } from './editor/language-support';
import { CcnetController } from './notebook/controller';
import { CcnetSerializer, NOTEBOOK_TYPE } from './notebook/serializer';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('CC-Net Kernel', { log: true });
  const status = new KernelStatusBar();
  const settings = kernelSettings(context);
  const controller = new CcnetController({
    ...settings,
    log,
    onKernelState: (notebook, state, backend) => status.set(notebook, state, backend),
  });
  context.subscriptions.push(
    log,
    status,
    controller,
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new CcnetSerializer(), { transientOutputs: false }),
    registerNotebookCommands(context, controller, log, settings.cacheDir),
    registerDashboard(context, controller, log),
    registerInstallBackend(context, log),
    registerChooseBackend(),
    registerCompressCommand({ ...settings, log, shippedCalibrationsDir: context.asAbsolutePath('media/calibrations') }),
    registerExportModelCommand(controller),
    registerBaselineCommand(controller),
    registerLanguageSupport(async (notebook) => controller.existingKernel(notebook)?.names()),
  );
}

export function deactivate(): void {}

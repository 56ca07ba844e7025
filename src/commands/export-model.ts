/**
 * "CC-Net: Export Model...": picks one of the models the active notebook's kernel holds and
 * writes it as a TensorFlow.js layers model (model.json + weights.bin, float32 weights: exactly
 * those evaluated) with its model card into a folder named after the model. It runs the
 * notebook's own `export MODEL to "FOLDER" format tfjs` statement after any queued cells, with a cancellable progress
 * notification. Arguments (model name, target folder URI) skip the prompts.
 */
import * as vscode from 'vscode';
import type { CcnetController } from '../notebook/controller';
import { pickKernelModel } from './notebook-cells';
import { quote } from '../language/literal';

export function registerExportModelCommand(controller: CcnetController): vscode.Disposable {
  return vscode.commands.registerCommand('ccnet.exportModel', async (modelArg?: string, folderArg?: vscode.Uri) => {
    const title = 'CC-Net: Export Model';
    const chosen = await pickKernelModel(controller, 'Export Model', title, modelArg);
    if (!chosen) return;
    const { notebook, model: name } = chosen;
    let parent = folderArg;
    if (!parent) {
      const picked = await vscode.window.showOpenDialog({
        title: `${title}: the folder to write ${name}/ into`,
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: 'Export here',
        defaultUri: notebook.uri.scheme === 'file' ? vscode.Uri.joinPath(notebook.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      parent = picked?.[0];
    }
    if (!parent) return;
    const target = vscode.Uri.joinPath(parent, name);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${name}`, cancellable: true }, (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return controller.runStatement(notebook, `export ${name} to ${quote(target.fsPath)} format tfjs`, () => undefined, abort.signal);
    });
    if (result.cancelled) return;
    if (!result.success) {
      void vscode.window.showErrorMessage(`Export Model: ${result.error?.message ?? 'failed'}`);
      return;
    }
    const action = await vscode.window.showInformationMessage(`Exported ${name} to ${target.fsPath} (model.json + weights.bin, loadable with tf.loadLayersModel).`, 'Reveal in Explorer', 'Open model.json');
    if (action === 'Reveal in Explorer') await vscode.commands.executeCommand('revealInExplorer', target);
    else if (action === 'Open model.json') await vscode.window.showTextDocument(vscode.Uri.joinPath(target, 'model.json'));
  });
}

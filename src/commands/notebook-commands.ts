/** Commands: new notebook, open the sample notebook, restart the kernel, show the kernel log, clear the training cache. */
import * as vscode from 'vscode';
import { trainingCacheFolder, checkpointFolder } from '../engine/train/cache-folder';
import type { CcnetController } from '../notebook/controller';
import { NOTEBOOK_TYPE } from '../notebook/serializer';

export function registerNotebookCommands(context: vscode.ExtensionContext, controller: CcnetController, log: vscode.LogOutputChannel, cacheDir: () => string): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('ccnet.newNotebook', async () => {
      const data = new vscode.NotebookData([
        new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# CC-Net notebook\nOne statement per line; `#` starts a comment.', 'markdown'),
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'synthetic cells complexity 0.5 count 24 size 128\ncomplexity cells', 'ccnet'),
      ]);
      const notebook = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
      await vscode.window.showNotebookDocument(notebook);
    }),
    vscode.commands.registerCommand('ccnet.openSample', async () => {
      const sample = vscode.Uri.joinPath(context.extensionUri, 'media', 'sample.ccnet');
      const copy = vscode.Uri.joinPath(context.globalStorageUri, 'sample.ccnet');
      await vscode.workspace.fs.createDirectory(context.globalStorageUri);
      // Work on a copy so the extension's own file stays pristine.
      await vscode.workspace.fs.copy(sample, copy, { overwrite: true });
      await vscode.commands.executeCommand('vscode.openWith', copy, NOTEBOOK_TYPE);
    }),
    vscode.commands.registerCommand('ccnet.restartKernel', async () => {
      const notebook = vscode.window.activeNotebookEditor?.notebook;
      if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) {
        void vscode.window.showInformationMessage('Open a .ccnet notebook to restart its kernel.');
        return;
      }
      await controller.restart(notebook);
      void vscode.window.showInformationMessage('CC-Net kernel restarted: run the cells that define your datasets again.');
    }),
    vscode.commands.registerCommand('ccnet.showKernelLog', () => log.show()),
    vscode.commands.registerCommand('ccnet.clearTrainingCache', async () => {
      const folder = vscode.Uri.file(trainingCacheFolder(cacheDir()));
      const checkpoints = vscode.Uri.file(checkpointFolder(cacheDir()));
      const answer = await vscode.window.showWarningMessage(
        `Remove every cached training in ${folder.fsPath} and the checkpoints of unfinished ones? Statements that would have restored or resumed them will train again.`,
        { modal: true },
        'Clear Training Cache',
      );
      if (answer !== 'Clear Training Cache') return;
      for (const uri of [folder, checkpoints]) {
        try {
          await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
        } catch (error) {
          if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) throw error;
        }
      }
      log.info(`cleared the training cache ${folder.fsPath}`);
      void vscode.window.showInformationMessage('CC-Net training cache cleared.');
    }),
  );
}

/** "CC-Net: Show Dashboard": a webview with the active notebook's datasets and complexity. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { CcnetController } from '../notebook/controller';
import { NOTEBOOK_TYPE } from '../notebook/serializer';

export function registerDashboard(context: vscode.ExtensionContext, controller: CcnetController): vscode.Disposable {
  let panel: vscode.WebviewPanel | undefined;
  let lastNotebook: vscode.NotebookDocument | undefined;

  const postState = async () => {
    if (!panel) return;
    const active = vscode.window.activeNotebookEditor?.notebook;
    if (active?.notebookType === NOTEBOOK_TYPE) lastNotebook = active;
    const kernel = lastNotebook ? controller.existingKernel(lastNotebook) : undefined;
    const summary = kernel ? await kernel.summary().catch(() => ({ datasets: [] })) : { datasets: [] };
    await panel.webview.postMessage({
      type: 'state',
      state: { notebook: lastNotebook ? lastNotebook.uri.path.split('/').pop() : null, datasets: summary.datasets },
    });
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('ccnet.showDashboard', () => {
      if (panel) {
        panel.reveal();
        void postState();
        return;
      }
      const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
      panel = vscode.window.createWebviewPanel('ccnet.dashboard', 'CC-Net Dashboard', vscode.ViewColumn.Beside, {
        enableScripts: true,
        localResourceRoots: [dist],
      });
      panel.webview.html = dashboardHtml(panel.webview, vscode.Uri.joinPath(dist, 'panel.js'));
      panel.webview.onDidReceiveMessage((message: { type?: string }) => {
        if (message.type === 'ready' || message.type === 'refresh') void postState();
      });
      panel.onDidDispose(() => (panel = undefined));
    }),
    vscode.window.onDidChangeActiveNotebookEditor(() => void postState()),
    vscode.workspace.onDidChangeNotebookDocument(() => void postState()),
  );
}

function dashboardHtml(webview: vscode.Webview, script: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CC-Net Dashboard</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${webview.asWebviewUri(script)}"></script>
</body>
</html>`;
}

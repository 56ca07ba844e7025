/**
 * "CC-Net: Show Dashboard": a webview beside the notebook with the kernel's datasets and their
 * complexity, the calibrations it can use (the session's and the shipped ones), a constraint
 * form (accuracy, disk or memory) that runs a compression, and the results table of the
 * kernel's models.
 *
 * The form does not run anything behind the notebook's back: it appends the `compress`
 * statement as a new cell of the notebook and runs that cell, so the report, its plots and the
 * statement stay in the notebook and can be re-run. The panel survives hiding (its state is in
 * the webview's state) and a window reload (a webview panel serializer restores it).
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { appendAndRunCell } from './notebook-cells';
import { EMPTY_SUMMARY } from '../protocol/protocol';
import type { CcnetController } from '../notebook/controller';
import { NOTEBOOK_TYPE } from '../notebook/serializer';
import { compressStatement } from './compress-statement';
import type { DashboardState, ExtensionToPanel, PanelToExtension, ShippedCalibration } from './dashboard-protocol';

const VIEW_TYPE = 'ccnet.dashboard';

/** The cell's `warning: ...` lines (stderr outputs), e.g. a prediction outside the calibrated domain. */
function cellWarnings(cell: vscode.NotebookCell): string[] {
  const decoder = new TextDecoder();
  return cell.outputs.flatMap((output) =>
    output.items
      .filter((item) => item.mime === 'application/vnd.code.notebook.stderr')
      .flatMap((item) => decoder.decode(item.data).split('\n'))
      .filter((line) => line.startsWith('warning: '))
      .map((line) => line.slice('warning: '.length)),
  );
}

/** The calibrations shipped in media/calibrations (plan and datasets only; the kernel fits them). */
async function shippedCalibrations(extensionPath: string, log: vscode.LogOutputChannel): Promise<ShippedCalibration[]> {
  const folder = join(extensionPath, 'media', 'calibrations');
  const found: ShippedCalibration[] = [];
  let files: string[] = [];
  try {
    files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return found;
  }
  for (const file of files) {
    try {
      const json = JSON.parse(await readFile(join(folder, file), 'utf8')) as { format?: string; plan?: { network: string; inputSizePx: number; baseWidth: number; epochs: number }; datasets?: { name: string }[] };
      if (json.format !== 'ccnet-calibration' || !json.plan || !json.datasets) throw new Error('not a ccnet-calibration file');
      found.push({ network: json.plan.network, datasets: json.datasets.map((d) => d.name), inputSize: json.plan.inputSizePx, baseWidth: json.plan.baseWidth, epochs: json.plan.epochs, file });
    } catch (error) {
      log.warn(`shipped calibration ${file} is unreadable: ${String(error)}`);
    }
  }
  return found;
}

/** How often the dashboard refreshes while a calibration runs (its queue view). */
const QUEUE_POLL_MS = 2000;

export function registerDashboard(context: vscode.ExtensionContext, controller: CcnetController, log: vscode.LogOutputChannel): vscode.Disposable {
  let panel: vscode.WebviewPanel | undefined;
  let lastNotebook: vscode.NotebookDocument | undefined;
  let run: DashboardState['run'] = null;
  let shipped: Promise<ShippedCalibration[]> | undefined; // read when the dashboard is first shown
  let lastQueues = 0; // calibrations running at the last refresh: poll while there are some

  const post = (message: ExtensionToPanel) => panel?.webview.postMessage(message);

  const currentNotebook = () => {
    const active = vscode.window.activeNotebookEditor?.notebook;
    if (active?.notebookType === NOTEBOOK_TYPE) lastNotebook = active;
    if (lastNotebook?.isClosed) lastNotebook = undefined;
    return lastNotebook;
  };

  const summaryOf = async (notebook: vscode.NotebookDocument | undefined) => {
    const kernel = notebook ? controller.existingKernel(notebook) : undefined;
    const summary = kernel?.isRunning ? await kernel.summary().catch(() => EMPTY_SUMMARY) : EMPTY_SUMMARY;
    return { summary, running: kernel?.isRunning ?? false };
  };

  const postState = async () => {
    if (!panel) return;
    const notebook = currentNotebook();
    const { summary, running } = await summaryOf(notebook);
    lastQueues = summary.queues?.length ?? 0;
    const state: DashboardState = {
      notebook: notebook ? notebook.uri.path.split('/').pop()! : null,
      kernel: running ? 'running' : 'none',
      datasets: summary.datasets,
      models: summary.models,
      calibrations: summary.calibrations,
      queues: summary.queues ?? [],
      shipped: await (shipped ??= shippedCalibrations(context.extensionPath, log)),
      run,
    };
    await post({ type: 'state', state });
  };

  /** Appends the form's statement as a cell of the notebook and runs it. */
  const compress = async (message: Extract<PanelToExtension, { type: 'compress' }>) => {
    const notebook = currentNotebook();
    if (!notebook) {
      void vscode.window.showErrorMessage('Dashboard: open a .ccnet notebook first; the compression runs as a cell of it.');
      return;
    }
    if (run?.status === 'running') {
      void vscode.window.showWarningMessage(`Dashboard: a compression is still running (${run.statement}); wait for it or interrupt its cell.`);
      return;
    }
    const { summary } = await summaryOf(notebook);
    const result = compressStatement(message.form, { datasets: summary.datasets.map((d) => d.name), calibrations: summary.calibrations.map((c) => c.name), models: summary.models.map((m) => m.name) });
    if ('problems' in result) {
      await post({ type: 'formProblems', problems: result.problems });
      return;
    }
    await post({ type: 'formProblems', problems: {} });
    run = { statement: result.text, status: 'running' };
    await postState();
    try {
      const cell = await appendAndRunCell(notebook, result.text);
      if (!cell) {
        run = null;
        await postState();
        void vscode.window.showErrorMessage(`Dashboard: could not add the cell to ${notebook.uri.path.split('/').pop()}.`);
        return;
      }
      const success = cell.executionSummary?.success;
      run = { statement: result.text, status: success === true ? 'succeeded' : success === false ? 'failed' : 'cancelled', message: success === false ? 'see the cell\'s error output in the notebook' : undefined, warnings: cellWarnings(cell) };
    } catch (error) {
      run = { statement: result.text, status: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
    await postState();
  };

  const setUp = (webviewPanel: vscode.WebviewPanel) => {
    panel = webviewPanel;
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    webviewPanel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    webviewPanel.webview.html = dashboardHtml(webviewPanel.webview, vscode.Uri.joinPath(dist, 'panel.js'));
    webviewPanel.webview.onDidReceiveMessage((message: PanelToExtension) => {
      if (message.type === 'ready' || message.type === 'refresh') void postState();
      else if (message.type === 'compress') void compress(message);
      else if (message.type === 'compressFolder') void vscode.commands.executeCommand('ccnet.compress');
      else if (message.type === 'stopRuns') {
        const notebook = currentNotebook();
        if (!notebook || !controller.interruptRunningCell(notebook)) void vscode.window.showInformationMessage('Dashboard: no cell of the notebook is running.');
      }
    });
    webviewPanel.onDidChangeViewState(() => webviewPanel.visible && void postState());
    // while the kernel runs a calibration, the queue view follows its runs
    const poll = setInterval(() => {
      const notebook = currentNotebook();
      if (webviewPanel.visible && (lastQueues > 0 || (notebook && controller.hasRunningCell(notebook)))) void postState();
    }, QUEUE_POLL_MS);
    webviewPanel.onDidDispose(() => {
      clearInterval(poll);
      panel = undefined;
    });
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('ccnet.showDashboard', () => {
      if (panel) {
        panel.reveal();
        void postState();
        return;
      }
      setUp(vscode.window.createWebviewPanel(VIEW_TYPE, 'CC-Net Dashboard', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true }));
    }),
    // after a window reload VS Code hands back the panel with the state the webview saved
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel) {
        setUp(webviewPanel);
      },
    }),
    vscode.window.onDidChangeActiveNotebookEditor(() => void postState()),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      // a cell finished (its execution summary changed): the kernel may know new things
      if (e.notebook.notebookType === NOTEBOOK_TYPE && e.cellChanges.some((c) => c.executionSummary)) void postState();
    }),
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

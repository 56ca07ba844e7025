/**
 * "CC-Net: Compress Network for Dataset..." (command palette and a folder's context menu in the
 * explorer): asks for the network and the constraint with validated inputs, runs `compress` in
 * a kernel process with a cancellable progress notification, and opens the report as a new
 * notebook holding the statement and its outputs.
 */
import type { KernelSettings } from '../editor/kernel-settings';
import * as vscode from 'vscode';
import { KernelClient } from '../host/client';
import { NETWORK_TITLES, networkTitle } from '../engine/models/titles';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetClausesOf, type DatasetPreparation } from '../language/literal';
import { compressCommandCell, preparationOfCalibrationJson } from './compress-statement';
import { bitsCheck } from '../language/checks';
import { OutputCollector } from '../host/output-collector';
import { toCellOutput } from '../notebook/cell-outputs';
import { NOTEBOOK_TYPE } from '../notebook/serializer';

const NETWORKS = Object.keys(NETWORK_TITLES).map((id) => ({ label: id, description: networkTitle(id) }));


function numberInput(title: string, prompt: string, value: string, check: (v: number) => string | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const v = Number(text);
      if (text.trim() === '' || !Number.isFinite(v)) return 'enter a number';
      return check(v);
    },
  });
}

/** The kernel settings (ccnet.kernel.maxHeapMB and the others apply here as in notebooks), a log and where the shipped calibrations are. */
export interface CompressCommandOptions extends KernelSettings {
  log: vscode.LogOutputChannel;
  /** media/calibrations of the installed extension: the default calibration of each network. */
  shippedCalibrationsDir: string;
}

/** How the shipped calibration of `network` prepared its datasets; undefined when it cannot be read. */
async function shippedPreparation(dir: string, network: string): Promise<DatasetPreparation | undefined> {
  const path = join(dir, `${network}.json`);
  try {
    return preparationOfCalibrationJson(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * The dataset clauses: by default the shipped calibration's own preparation, which its
 * predictions assume; or whole images at a square working size. undefined: the user cancelled.
 */
async function chooseDatasetClauses(title: string, shippedDir: string, network: string): Promise<string | undefined> {
  const shipped = await shippedPreparation(shippedDir, network);
  if (shipped) {
    const asCalibrated = datasetClausesOf(shipped);
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'As the calibration', description: asCalibrated.trim(), detail: 'the preparation the shipped calibration measured; its predictions assume it (recommended)', clauses: asCalibrated },
        { label: 'Whole images at N x N', description: 'size N', detail: 'every image resized to a square working size; the prediction then warns that the recipe differs', clauses: undefined },
      ],
      { title: `${title}: how to prepare the images`, ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    if (picked.clauses !== undefined) return picked.clauses;
  }
  const sizeText = await numberInput(title, 'Working size in pixels (images are resized to N x N; a multiple of 32 suits every network)', '128', (v) => (Number.isInteger(v) && v >= 32 && v <= 2048 ? undefined : 'a whole number from 32 to 2048'));
  return sizeText ? ` size ${sizeText}` : undefined;
}

export function registerCompressCommand(options: CompressCommandOptions): vscode.Disposable {
  return vscode.commands.registerCommand('ccnet.compress', async (folderArg?: vscode.Uri) => {
    const title = 'CC-Net: Compress Network for Dataset';
    let folder = folderArg;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: `${title}: the dataset folder (images/ and masks/)`, openLabel: 'Use this dataset' });
      folder = picked?.[0];
    }
    if (!folder) return;
    const network = await vscode.window.showQuickPick(NETWORKS, { title: `${title}: network`, ignoreFocusOut: true });
    if (!network) return;
    const kind = await vscode.window.showQuickPick(
      [
        { label: 'accuracy', description: 'keep a share of the base network\'s F1 (case 2)' },
        { label: 'disk', description: 'fit a size on disk (case 1a)' },
        { label: 'memory', description: 'fit weights and activations in memory (case 1b)' },
      ],
      { title: `${title}: constraint`, ignoreFocusOut: true },
    );
    if (!kind) return;
    let constraint: string;
    if (kind.label === 'accuracy') {
      const value = await numberInput(title, 'Relative F1 to keep, e.g. 0.95 (a fraction of the base network\'s)', '0.95', (v) => (v > 0 && v <= 1 ? undefined : v > 1 && v <= 100 ? `give a fraction: did you mean ${v / 100}?` : 'must be above 0 and at most 1'));
      if (!value) return;
      constraint = `accuracy >= ${value}`;
    } else {
      const value = await numberInput(title, `${kind.label === 'disk' ? 'Disk' : 'Memory'} budget in MB`, kind.label === 'disk' ? '1' : '64', (v) => (v > 0 ? undefined : 'must be above 0'));
      if (!value) return;
      constraint = `${kind.label} <= ${value} MB`;
      if (kind.label === 'disk') {
        const bits = await numberInput(title, 'Bits per stored kernel weight (32 = float32; 2 to 16 = quantized per output channel)', '32', (v) => bitsCheck(v));
        if (!bits) return;
        constraint += ` bits ${bits}`;
      }
    }
    const datasetClauses = await chooseDatasetClauses(title, options.shippedCalibrationsDir, network.label);
    if (datasetClauses === undefined) return;
    const cell = compressCommandCell(folder.fsPath, network.label, constraint, datasetClauses);
    const collector = new OutputCollector();
    const kernel = new KernelClient({
      kernelPath: options.kernelPath,
      cacheDir: options.cacheDir(),
      maxHeapMB: options.maxHeapMB(),
      interruptGraceMs: options.interruptGraceMs(),
      backend: options.backend(),
      nativeModulePaths: options.nativeModulePaths(),
      onLog: (_s, text) => options.log.info(`[compress] ${text.trimEnd()}`),
    });
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Compressing ${network.label} for ${folder.path.split('/').pop()}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let lastFraction = 0;
          return kernel.execute(
            cell,
            folder!.fsPath,
            (event) => {
              collector.apply(event);
              if (event.type === 'progress') {
                const fraction = event.fraction ?? lastFraction;
                progress.report({ message: event.message.slice(0, 120), increment: Math.max(0, (fraction - lastFraction) * 100) });
                lastFraction = fraction;
              }
            },
            abort.signal,
          );
        },
      );
      if (result.error && !result.cancelled) collector.addError(result.error.name, result.error.message);
      if (result.cancelled) {
        void vscode.window.showInformationMessage('Compression cancelled.');
        return;
      }
      const code = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, cell, 'ccnet');
      code.outputs = collector.outputs().map(toCellOutput);
      code.executionSummary = { success: result.success };
      const intro = new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, `# CC-Net compression report\n\n${network.description} for \`${folder.fsPath}\`, constraint \`${constraint}\`. Re-run the cell to repeat it.`, 'markdown');
      const notebook = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new vscode.NotebookData([intro, code]));
      await vscode.window.showNotebookDocument(notebook);
      if (!result.success) void vscode.window.showErrorMessage(`Compression failed: ${result.error?.message ?? 'unknown error'}`);
    } finally {
      await kernel.dispose();
    }
  });
}

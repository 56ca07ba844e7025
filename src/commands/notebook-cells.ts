/** The .ccnet notebook a command acts on, and running a statement as a new cell of it. */
import * as vscode from 'vscode';
import type { CcnetController } from '../notebook/controller';
import { NOTEBOOK_TYPE } from '../notebook/serializer';
import { formatNumber } from '../protocol/outputs';
import type { SessionSummary } from '../protocol/protocol';

/** The active .ccnet notebook, or the only open one. */
function ccnetNotebook(): vscode.NotebookDocument | undefined {
  const active = vscode.window.activeNotebookEditor?.notebook;
  if (active?.notebookType === NOTEBOOK_TYPE) return active;
  const open = vscode.workspace.notebookDocuments.filter((n) => n.notebookType === NOTEBOOK_TYPE);
  return open.length === 1 ? open[0] : undefined;
}

/**
 * Appends `text` as a code cell at the end of the notebook, reveals it and runs it; resolves when
 * the controller has finished the cell. undefined: the edit could not be applied.
 */
export async function appendAndRunCell(notebook: vscode.NotebookDocument, text: string): Promise<vscode.NotebookCell | undefined> {
  const index = notebook.cellCount;
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(index, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, text, 'ccnet')])]);
  if (!(await vscode.workspace.applyEdit(edit))) return undefined;
  const cell = notebook.cellAt(index);
  const editor = await vscode.window.showNotebookDocument(notebook, { viewColumn: vscode.window.activeNotebookEditor?.notebook === notebook ? vscode.window.activeNotebookEditor.viewColumn : vscode.ViewColumn.One, preserveFocus: true });
  editor.revealRange(new vscode.NotebookRange(index, index + 1), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: index, end: index + 1 }], document: notebook.uri });
  return cell;
}

type ModelSummary = SessionSummary['models'][number];

/**
 * The .ccnet notebook and one model of its kernel: `modelArg` when given and known, else the
 * user's pick. Shows an error naming what is missing (`command`: how the messages begin) and
 * returns undefined then, or when the user cancels.
 */
export async function pickKernelModel(controller: CcnetController, command: string, title: string, modelArg?: string): Promise<{ notebook: vscode.NotebookDocument; model: string; models: ModelSummary[] } | undefined> {
  const notebook = ccnetNotebook();
  if (!notebook) {
    void vscode.window.showErrorMessage(`${command}: open the .ccnet notebook whose model you want to use (its kernel holds the models).`);
    return undefined;
  }
  const models = (await controller.existingKernel(notebook)?.summary().catch(() => undefined))?.models ?? [];
  if (models.length === 0) {
    void vscode.window.showErrorMessage(`${command}: this notebook's kernel has no models yet. Run a train, compress, prune or quantize cell first.`);
    return undefined;
  }
  if (modelArg !== undefined) {
    if (models.some((m) => m.name === modelArg)) return { notebook, model: modelArg, models };
    void vscode.window.showErrorMessage(`${command}: there is no model '${modelArg}' in this notebook's kernel; models: ${models.map((m) => m.name).join(', ')}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    models.map((m) => ({
      label: m.name,
      description: `${m.network} alpha ${formatNumber(m.alpha, 3)} on ${m.dataset}`,
      detail: `F1 ${m.f1 === null ? 'not evaluated' : formatNumber(m.f1, 3)}, ${m.params.toLocaleString('en-US')} parameters, ${formatNumber(m.sizeMB, 3)} MB${m.origin ? ` - ${m.origin}` : ''}`,
    })),
    { title: `${title}: which model`, ignoreFocusOut: true },
  );
  return picked ? { notebook, model: picked.label, models } : undefined;
}

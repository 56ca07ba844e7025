/** The .ccnet notebook a command acts on, and running a statement as a new cell of it. */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/serializer';

/** The active .ccnet notebook, or the only open one. */
export function ccnetNotebook(): vscode.NotebookDocument | undefined {
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

/**
 * Opens and saves `.ccnet` files as notebooks. A malformed file throws (VS Code shows the
 * message and does not open it), so it is never replaced by an empty notebook.
 */
import * as vscode from 'vscode';
import {
  loadOutputItem,
  parseNotebook,
  serializeNotebook,
  storeOutputItem,
  type StoredCell,
  type StoredNotebook,
} from '../protocol/notebook-format';

export const NOTEBOOK_TYPE = 'ccnet';

export class CcnetSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const stored = parseNotebook(new TextDecoder().decode(content), 'this .ccnet file');
    const data = new vscode.NotebookData(stored.cells.map(toCellData));
    data.metadata = stored.metadata;
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const stored: StoredNotebook = {
      format: 'ccnet-notebook',
      formatVersion: 1,
      metadata: data.metadata ?? {},
      cells: data.cells.map(fromCellData),
    };
    return new TextEncoder().encode(serializeNotebook(stored));
  }
}

function toCellData(cell: StoredCell): vscode.NotebookCellData {
  const kind = cell.kind === 'code' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup;
  const data = new vscode.NotebookCellData(kind, cell.source, cell.language);
  data.outputs = cell.outputs.map(
    (output) =>
      new vscode.NotebookCellOutput(
        output.items.map((item) => new vscode.NotebookCellOutputItem(loadOutputItem(item), item.mime)),
        output.metadata,
      ),
  );
  if (cell.execution) {
    const endTime = cell.execution.endedAt ? Date.parse(cell.execution.endedAt) : undefined;
    data.executionSummary = {
      executionOrder: cell.execution.order,
      success: cell.execution.success,
      timing: endTime !== undefined && cell.execution.durationMs !== undefined ? { startTime: endTime - cell.execution.durationMs, endTime } : undefined,
    };
  }
  if (cell.metadata) data.metadata = cell.metadata;
  return data;
}

function fromCellData(cell: vscode.NotebookCellData): StoredCell {
  const stored: StoredCell = {
    kind: cell.kind === vscode.NotebookCellKind.Code ? 'code' : 'markdown',
    language: cell.languageId,
    source: cell.value,
    outputs: (cell.outputs ?? []).map((output) => {
      const items = output.items.map((item) => storeOutputItem(item.mime, item.data));
      return output.metadata && Object.keys(output.metadata).length > 0 ? { items, metadata: output.metadata } : { items };
    }),
  };
  const summary = cell.executionSummary;
  if (summary && (summary.executionOrder !== undefined || summary.success !== undefined)) {
    stored.execution = {
      order: summary.executionOrder,
      success: summary.success,
      endedAt: summary.timing ? new Date(summary.timing.endTime).toISOString() : undefined,
      durationMs: summary.timing ? summary.timing.endTime - summary.timing.startTime : undefined,
    };
  }
  if (cell.metadata && Object.keys(cell.metadata).length > 0) stored.metadata = cell.metadata;
  return stored;
}

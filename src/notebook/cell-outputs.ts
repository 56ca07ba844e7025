/** Turns kernel outputs into VS Code notebook outputs (binary data as raw bytes, not base64). */
import * as vscode from 'vscode';
import type { KernelOutput, KernelOutputItem } from '../protocol/protocol';
import { loadOutputItem } from '../protocol/notebook-format';

export function toOutputItem(item: KernelOutputItem): vscode.NotebookCellOutputItem {
  return new vscode.NotebookCellOutputItem(loadOutputItem(item), item.mime);
}

export function toCellOutput(output: KernelOutput): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(output.items.map(toOutputItem), { ...output.metadata, outputId: output.id });
}

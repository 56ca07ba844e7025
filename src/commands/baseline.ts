/**
 * "CC-Net: Prune or Quantize Model...": one of the baselines (L1 filter pruning, magnitude
 * pruning, weight quantization, quantization-aware training) applied to a model of the active
 * notebook's kernel in one step. It asks for the model, the method and its values (checked as the
 * cell language checks them), then adds the statement as a new cell and runs it, so the result
 * and its statement stay in the notebook. An argument (model name) skips the first prompt.
 */
import * as vscode from 'vscode';
import type { CcnetController } from '../notebook/controller';
import { numberLiteral } from '../language/literal';
import { BASELINE_METHODS, BASELINE_VALUE_CHECKS, baselineStatement, type BaselineChoice } from './baseline-statement';
import { appendAndRunCell, pickKernelModel } from './notebook-cells';

const TITLE = 'CC-Net: Prune or Quantize Model';

/** One value, checked by the language's check for `key`; undefined: cancelled. */
async function askValue(key: keyof typeof BASELINE_VALUE_CHECKS, prompt: string, value: string): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: TITLE,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (input) => {
      const v = numberLiteral(input);
      return v === undefined ? 'enter a number' : BASELINE_VALUE_CHECKS[key](v);
    },
  });
  return text === undefined ? undefined : numberLiteral(text);
}

export function registerBaselineCommand(controller: CcnetController): vscode.Disposable {
  return vscode.commands.registerCommand('ccnet.pruneOrQuantize', async (modelArg?: string) => {
    const chosen = await pickKernelModel(controller, 'Prune or Quantize Model', TITLE, modelArg);
    if (!chosen) return;
    const { notebook, model, models } = chosen;
    const method = await vscode.window.showQuickPick(
      BASELINE_METHODS.map((m) => ({ label: m.label, detail: m.description, method: m.method })),
      { title: `${TITLE}: method for ${model}`, ignoreFocusOut: true },
    );
    if (!method) return;
    const choice: BaselineChoice = { model, method: method.method };
    if (method.method === 'l1' || method.method === 'magnitude') {
      const what = method.method === 'l1' ? 'filters' : 'weights';
      choice.ratio = await askValue('ratio', `Fraction of ${what} to remove, at least 0 and below 1`, method.method === 'l1' ? '0.5' : '0.8');
      if (choice.ratio === undefined) return;
      choice.finetune = await askValue('finetune', 'Epochs of fine-tuning after pruning (0: none)', '5');
      if (choice.finetune === undefined) return;
    } else {
      choice.bits = await askValue('bits', 'Bits per kernel weight, 2 to 16', '8');
      if (choice.bits === undefined) return;
      if (method.method === 'aware') {
        choice.epochs = await askValue('epochs', 'Epochs of quantization-aware training', '3');
        if (choice.epochs === undefined) return;
      }
    }
    const { text, name } = baselineStatement(choice, models.map((m) => m.name));
    const cell = await appendAndRunCell(notebook, text);
    if (!cell) {
      void vscode.window.showErrorMessage(`Prune or Quantize Model: could not add the cell to ${notebook.uri.path.split('/').pop()}.`);
      return;
    }
    const success = cell.executionSummary?.success;
    if (success === true) void vscode.window.showInformationMessage(`${name} is ready: its metrics and size are in the new cell; compare ${model}, ${name} on a dataset puts them side by side.`);
    else if (success === false) void vscode.window.showErrorMessage(`Prune or Quantize Model: ${text} failed; see the cell's error output in the notebook.`);
  });
}

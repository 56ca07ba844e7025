/**
 * The end-to-end step for a long run and a window reload: a notebook of its own whose one cell
 * trains a U-Net for 30 epochs; as soon as the first epoch's checkpoint is on disk the window is
 * reloaded (which ends the kernel), the cell runs again, and the saved notebook must say that the
 * training resumed from its checkpoint (or was restored from the cache), not trained from scratch.
 * It waits on states (a checkpoint file, cell states, the saved file), never on time alone.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeStates, notebookEditor, openFromExplorer, pickKernelIfAsked, runAllCells, runPaletteCommand, waitForCellsToFinish } from './workbench';

export interface ReloadStepContext {
  workspaceDir: string;
  /** code-server's user data folder, which holds the extension's cache (and so the checkpoints). */
  userDataDir: string;
  kernelLabel: string;
  timeoutMs: number;
  screenshot(name: string): Promise<unknown>;
  log(message: string): void;
}

export async function trainingCutOffByReloadResumes(page: Page, where: ReloadStepContext): Promise<void> {
  // a notebook of its own: one cell whose training runs long enough to be cut off
  writeFileSync(join(where.workspaceDir, reloadNotebookName), reloadNotebook());
  const before = new Set(checkpointFiles(where.userDataDir));
  await openFromExplorer(page, reloadNotebookName, 30_000);
  await notebookEditor(page).locator('.monaco-list-row.code-cell-row').first().waitFor({ state: 'visible', timeout: 60_000 });
  await runAllCells(page);
  await pickKernelIfAsked(page, where.kernelLabel, 5_000);
  // state, not time: the first epoch's checkpoint is on disk
  const deadline = Date.now() + where.timeoutMs;
  let written: string[] = [];
  while ((written = checkpointFiles(where.userDataDir).filter((f) => !before.has(f))).length === 0) {
    if (Date.now() > deadline) throw new Error(`no training checkpoint appeared under ${where.userDataDir} within ${where.timeoutMs / 1000} s of running ${reloadNotebookName}`);
    await page.waitForTimeout(250);
  }
  where.log(`checkpoint written (${written.join(', ')}); reloading the window mid-training`);
  await page.reload();
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: 60_000 });
  await openFromExplorer(page, reloadNotebookName, 30_000);
  await notebookEditor(page).locator('.monaco-list-row.code-cell-row').first().waitFor({ state: 'visible', timeout: 60_000 });
  await runAllCells(page);
  await pickKernelIfAsked(page, where.kernelLabel, 5_000);
  const scan = await waitForCellsToFinish(page, 1, where.timeoutMs);
  assert.equal(scan.codeCells.get([...scan.codeCells.keys()][0]!), 'success', `the training cell did not succeed after the reload: ${describeStates(scan)}`);
  await where.screenshot('12-training-resumed-after-reload');
  // the outputs as the notebook file stores them, not as some webview shows them
  const file = join(where.workspaceDir, reloadNotebookName);
  // The file may already hold outputs of the running cell (saved as the window went away, or while
  // the second run was under way), so wait for the finished cell's note, not for any output, and
  // save again every few seconds until it is there (a save issued while the editor was still
  // taking the cell's last outputs can write the state before them). Save All: the focus may be
  // in the dashboard's group, where File: Save saves nothing.
  const finished = /resumed from the checkpoint of epoch|restored: trained on/;
  const saveDeadline = Date.now() + 60_000;
  let text = '';
  for (let attempt = 0; !finished.test(text) && Date.now() < saveDeadline; attempt++) {
    if (attempt % 20 === 0) await runPaletteCommand(page, 'File: Save All');
    await page.waitForTimeout(250);
    text = readFileSync(file, 'utf8');
  }
  const resumed = /resumed from the checkpoint of epoch (\d+) of (\d+)/.exec(text);
  const restored = /restored: trained on [^"]*/.exec(text);
  where.log(resumed ? `after the reload: resumed from epoch ${resumed[1]} of ${resumed[2]}` : restored ? `after the reload: ${restored[0]}` : 'after the reload: neither resumed nor restored');
  assert.ok(resumed || restored, `the training ran again from scratch after the reload: its saved outputs say neither "resumed from the checkpoint of epoch" nor "restored: trained on"; saved notebook:\n${text.slice(0, 3000)}`);
}

const reloadNotebookName = 'reload.ccnet';

/** A one-cell notebook whose training takes long enough (tens of seconds) to be cut off by a reload. */
function reloadNotebook(): string {
  const source = 'synthetic reloaded complexity 0.4 count 24 size 128 seed 7\ntrain unet on reloaded alpha 1/8 epochs 30 lr 0.003 as cutoff';
  return `${JSON.stringify({ cells: [{ kind: 'code', language: 'ccnet', outputs: [], source }], format: 'ccnet-notebook', formatVersion: 1, metadata: {} }, null, 2)}\n`;
}

/** The training checkpoints (files ending in .ckpt) anywhere under a folder: the extension's cache lives in code-server's user data. */
function checkpointFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true }) as string[]).filter((name) => name.endsWith('.ckpt'));
}

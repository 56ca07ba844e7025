/**
 * Drives the VS Code workbench that code-server serves, in Debian's Chromium through
 * playwright-core: wait for it to load, use the command palette, open a file from the
 * Explorer, run a notebook and read the state of its cells and its output webview.
 *
 * Selectors are VS Code 1.100's DOM (code-server 4.100.3): `.notebookOverlay` is the notebook
 * editor, its cells are `.monaco-list-row.code-cell-row` with a `data-index`, a cell's
 * execution state is a `codicon-notebook-state-*` icon in its status bar, and outputs live in
 * the notebook's webview iframe, whose content is in the inner `iframe#active-frame`.
 */
import { chromium, type Browser, type Frame, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** Debian's Chromium, headless, without sandbox (root in CI), GPU or background traffic. */
export async function launchChromium(timeoutMs: number): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: timeoutMs,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  });
}

/** Loads the workbench on `folder` and waits until its editor area is shown. */
export async function openWorkbench(page: Page, serverUrl: string, folder: string, timeoutMs: number): Promise<void> {
  await page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`, { timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

const quickInput = '.quick-input-widget';

/** Titles of the command palette's entries after typing `query` (the palette is closed again). */
export async function paletteEntries(page: Page, query: string): Promise<string[]> {
  await openPalette(page);
  const input = page.locator(`${quickInput} input`);
  await input.fill(`>${query}`);
  // The list filters asynchronously; give it a moment to settle.
  await page.waitForTimeout(700);
  const labels = await page.locator(`${quickInput} .quick-input-list .monaco-list-row`).evaluateAll((rows) =>
    rows.map((row) => row.getAttribute('aria-label') ?? row.textContent ?? ''),
  );
  await page.keyboard.press('Escape');
  return labels;
}

async function openPalette(page: Page): Promise<void> {
  const input = page.locator(`${quickInput} input`);
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('F1');
    if (await input.isVisible().catch(() => false)) return;
    await input.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
    if (await input.isVisible().catch(() => false)) return;
  }
  throw new Error('the command palette (F1) did not open');
}

/**
 * Waits until the command palette offers a command whose title contains `title`: proof that
 * the extensions' contributions reached the workbench (files opened before that open as text).
 */
export async function waitForCommand(page: Page, title: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await paletteEntries(page, title);
    if (last.some((label) => label.includes(title))) return;
    await page.waitForTimeout(1000);
  }
  throw new Error(`the command palette never offered "${title}" within ${timeoutMs / 1000} s (last entries: ${JSON.stringify(last)}); is the extension installed and valid?`);
}

/** Runs a command palette entry by its exact title, e.g. "Notebook: Run All". */
export async function runPaletteCommand(page: Page, title: string): Promise<void> {
  await openPalette(page);
  await page.locator(`${quickInput} input`).fill(`>${title}`);
  const row = page.locator(`${quickInput} .quick-input-list .monaco-list-row`, { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
}

/** Opens a file by clicking it in the Explorer (the file must sit at the workspace root). */
export async function openFromExplorer(page: Page, fileName: string, timeoutMs: number): Promise<void> {
  const item = page.locator('.part.sidebar').getByRole('treeitem', { name: fileName, exact: true });
  await item.first().click({ timeout: timeoutMs });
}

/** The notebook editor (not the text editor) of the active notebook. */
export function notebookEditor(page: Page): Locator {
  return page.locator('.notebookOverlay:visible').first();
}

/** The document inside the notebook's output webview, where renderers draw. */
export function outputFrame(page: Page): FrameLocator {
  return page.locator('.notebookOverlay:visible iframe.webview').first().contentFrame().locator('iframe#active-frame').contentFrame();
}

export type CellState = 'success' | 'error' | 'executing' | 'pending' | 'not run';

export interface NotebookScan {
  /** Number of cells in the notebook (from the list's aria-setsize). */
  cellCount: number;
  /** Execution state of every code cell seen, by cell index. */
  codeCells: Map<number, CellState>;
  /** Indices of markdown cells seen. */
  markdownCells: Set<number>;
}

/**
 * Scrolls the notebook's cell list by `deltaY` pixels with the mouse wheel over the list's
 * vertical scrollbar: over an output the wheel would land in the output webview, which does
 * not reliably pass it on to the list.
 */
export async function wheelCellList(page: Page, deltaY: number): Promise<void> {
  const list = notebookEditor(page).locator('.cell-list-container').first();
  const box = await list.boundingBox();
  if (!box) throw new Error('the notebook cell list is not visible');
  await page.mouse.move(box.x + box.width - 5, box.y + box.height / 2);
  await page.mouse.wheel(0, deltaY);
}

/** Scrolls the notebook's cell list back to its first cell, in page-sized steps (one huge wheel delta is not honoured). */
export async function scrollToTop(page: Page): Promise<void> {
  const editor = notebookEditor(page);
  const box = await editor.locator('.cell-list-container').first().boundingBox();
  if (!box) throw new Error('the notebook cell list is not visible');
  for (let step = 0; step < 100; step++) {
    const indices = await editor.locator('.monaco-list-row[data-index]').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-index'))));
    if (indices.includes(0)) break;
    await wheelCellList(page, -box.height * 0.8);
    await page.waitForTimeout(200);
  }
  await page.waitForTimeout(300);
}

/**
 * Scrolls the notebook's cell list until the given element (a cell's editor) lies inside the
 * list's visible area, wheeling down in page-sized steps (tall outputs above it push it below).
 */
export async function scrollIntoCellList(page: Page, target: Locator): Promise<void> {
  const list = notebookEditor(page).locator('.cell-list-container').first();
  const box = await list.boundingBox();
  if (!box) throw new Error('the notebook cell list is not visible');
  for (let step = 0; step < 60; step++) {
    const own = await target.boundingBox().catch(() => null);
    if (own && own.y >= box.y && own.y + Math.min(own.height, 40) <= box.y + box.height) return;
    await wheelCellList(page, own && own.y < box.y ? -box.height * 0.6 : box.height * 0.6);
    await page.waitForTimeout(200);
  }
}

/**
 * Scrolls the notebook from top to bottom and records every cell (the list renders only the
 * rows in view), so that outputs of all cells get rendered in the webview too.
 */
export async function scanNotebook(page: Page): Promise<NotebookScan> {
  const editor = notebookEditor(page);
  const list = editor.locator('.cell-list-container').first();
  const box = await list.boundingBox();
  if (!box) throw new Error('the notebook cell list is not visible');
  await scrollToTop(page);
  const scan: NotebookScan = { cellCount: 0, codeCells: new Map(), markdownCells: new Set() };
  let unchanged = 0;
  let lastSignature = '';
  for (let step = 0; step < 200 && unchanged < 2; step++) {
    const rows = await editor.locator('.monaco-list-row[data-index]').evaluateAll((elements) =>
      elements.map((row) => {
        const icon = row.querySelector('.cell-status-item .codicon[class*="codicon-notebook-state-"]');
        const state = icon ? /codicon-notebook-state-(\w+)/.exec(icon.className)?.[1] ?? null : null;
        return {
          index: Number(row.getAttribute('data-index')),
          setSize: Number(row.getAttribute('aria-setsize') ?? 0),
          code: row.classList.contains('code-cell-row'),
          state,
          top: Math.round(row.getBoundingClientRect().top),
        };
      }),
    );
    for (const row of rows) {
      scan.cellCount = Math.max(scan.cellCount, row.setSize);
      if (row.code) scan.codeCells.set(row.index, (row.state as CellState | null) ?? 'not run');
      else scan.markdownCells.add(row.index);
    }
    // rows and their positions: a tall output keeps the same rows in view for several steps
    const signature = rows.map((r) => `${r.index}@${r.top}`).join(',');
    unchanged = signature === lastSignature ? unchanged + 1 : 0;
    lastSignature = signature;
    if (scan.cellCount > 0 && rows.some((r) => r.index === scan.cellCount - 1)) break;
    await wheelCellList(page, box.height * 0.8);
    await page.waitForTimeout(250);
  }
  return scan;
}

/** Clicks the notebook toolbar's "Run All", or runs "Notebook: Run All" from the palette. */
export async function runAllCells(page: Page): Promise<'toolbar' | 'palette'> {
  const button = notebookEditor(page).locator('.notebook-toolbar-container a.action-label[aria-label="Run All"]').first();
  if (await button.isVisible().catch(() => false)) {
    await button.click();
    return 'toolbar';
  }
  await runPaletteCommand(page, 'Notebook: Run All');
  return 'palette';
}

/**
 * If VS Code asks which kernel to use, picks the one whose label contains `kernelLabel`.
 * Returns whether it had to ask.
 */
export async function pickKernelIfAsked(page: Page, kernelLabel: string, waitMs: number): Promise<boolean> {
  const row = page.locator(`${quickInput} .quick-input-list .monaco-list-row`, { hasText: kernelLabel }).first();
  const asked = await row.waitFor({ state: 'visible', timeout: waitMs }).then(() => true, () => false);
  if (asked) await row.click();
  return asked;
}

/**
 * Waits until every code cell has finished (success or error); throws with the states seen
 * when `timeoutMs` passes first.
 */
export async function waitForCellsToFinish(page: Page, expectedCodeCells: number, timeoutMs: number, pollMs = 2000): Promise<NotebookScan> {
  const deadline = Date.now() + timeoutMs;
  let scan = await scanNotebook(page);
  while (Date.now() < deadline) {
    const states = [...scan.codeCells.values()];
    const finished = states.filter((s) => s === 'success' || s === 'error').length;
    if (scan.codeCells.size >= expectedCodeCells && finished === scan.codeCells.size) return scan;
    await page.waitForTimeout(pollMs);
    scan = await scanNotebook(page);
  }
  throw new Error(`cells did not finish within ${timeoutMs / 1000} s: ${describeStates(scan)}`);
}

export function describeStates(scan: NotebookScan): string {
  const parts = [...scan.codeCells.entries()].sort((a, b) => a[0] - b[0]).map(([index, state]) => `cell ${index + 1}: ${state}`);
  return parts.length > 0 ? parts.join(', ') : 'no code cells seen';
}

/**
 * Scrolls the notebook until `target` (inside the output webview) is within the viewport,
 * so that a page screenshot shows it. Returns whether it got there.
 */
export async function scrollOutputIntoView(page: Page, target: Locator): Promise<boolean> {
  const list = notebookEditor(page).locator('.cell-list-container').first();
  const listBox = await list.boundingBox();
  if (!listBox) return false;
  for (let step = 0; step < 100; step++) {
    const box = await target.boundingBox();
    if (!box) return false;
    const top = listBox.y;
    const bottom = listBox.y + listBox.height;
    if (box.y >= top && box.y + Math.min(box.height, listBox.height) <= bottom) return true;
    const delta = box.y < top ? Math.max(-listBox.height * 0.8, box.y - top - 20) : Math.min(listBox.height * 0.8, box.y - top - 20);
    await wheelCellList(page, delta);
    await page.waitForTimeout(250);
  }
  return false;
}

/**
 * The frame of a webview panel (not the notebook's output webview) whose document has an
 * element matching `selector`; waits up to `timeoutMs`.
 */
export async function webviewPanelFrame(page: Page, selector: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`no webview frame has ${selector} within ${timeoutMs / 1000} s (frames: ${page.frames().map((f) => f.url().slice(0, 80)).join(' | ')})`);
}

/** Labels of the suggest widget's rows, waiting until one contains `expected`. */
export async function suggestions(page: Page, expected: string, timeoutMs: number): Promise<string[]> {
  const rows = page.locator('.suggest-widget .monaco-list-row');
  const deadline = Date.now() + timeoutMs;
  let labels: string[] = [];
  while (Date.now() < deadline) {
    labels = await rows.evaluateAll((elements) => elements.map((row) => (row.getAttribute('aria-label') ?? row.textContent ?? '').trim()));
    if (labels.some((label) => label.includes(expected))) return labels;
    await page.waitForTimeout(300);
  }
  return labels;
}

/** `ccnet run FILE.ccnet [--out EXECUTED.ccnet] [--plots DIR] [--keep-going]` */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KernelClient } from '../host/client';
import { OutputCollector } from '../host/output-collector';
import { parseNotebook, serializeNotebook, type StoredCell } from '../protocol/notebook-format';
import { writeNotebookPlots } from './plots';

export interface RunOptions {
  file: string;
  out?: string;
  plotsDir?: string;
  keepGoing: boolean;
  kernelPath: string;
  cacheDir: string;
  backend: string;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** Runs every code cell in order; returns the process exit code (0 when every cell succeeded). */
export async function runNotebookFile(options: RunOptions): Promise<number> {
  const path = resolve(options.file);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ENOENT' ? `notebook ${options.file} does not exist` : `cannot read ${options.file}: ${error.message}`);
  });
  const notebook = parseNotebook(text, options.file);
  const codeCells = notebook.cells.filter((c) => c.kind === 'code' && c.language === 'ccnet');
  if (codeCells.length === 0) options.log(`${options.file} has no ccnet code cells`);
  const kernel = new KernelClient({
    kernelPath: options.kernelPath,
    cacheDir: options.cacheDir,
    backend: options.backend,
    onLog: (_stream, text) => process.stderr.write(text),
  });
  let failures = 0;
  let order = 0;
  try {
    for (const [i, cell] of codeCells.entries()) {
      if (options.signal?.aborted) break;
      if (failures > 0 && !options.keepGoing) {
        options.log(`[${i + 1}/${codeCells.length}] skipped (an earlier cell failed; --keep-going runs the rest)`);
        continue;
      }
      const firstLine = cell.source.split('\n').find((l) => l.trim() && !l.trim().startsWith('#'))?.trim() ?? '(empty)';
      options.log(`[${i + 1}/${codeCells.length}] ${firstLine}`);
      const started = Date.now();
      const outputs = new OutputCollector();
      const result = await kernel.execute(cell.source, dirname(path), (event) => {
        outputs.apply(event);
        if (event.type === 'progress') options.log(`    ${event.message}`);
        if (event.type === 'log') process.stderr.write(event.text);
      }, options.signal);
      if (result.error) outputs.addError(result.error.name, result.error.message);
      cell.outputs = outputs.stored();
      const durationMs = Date.now() - started;
      cell.execution = { order: ++order, success: result.success, endedAt: new Date().toISOString(), durationMs };
      if (result.success) {
        options.log(`    ok (${(durationMs / 1000).toFixed(1)} s)`);
      } else {
        failures++;
        options.log(`    ${result.cancelled ? 'cancelled' : 'failed'}: ${result.error?.message ?? 'unknown error'}${locate(cell, result.error?.range?.start)}`);
      }
    }
  } finally {
    await kernel.dispose();
  }
  const outPath = resolve(options.out ?? path.replace(/\.ccnet$/, '') + '.executed.ccnet');
  await mkdir(dirname(outPath), { recursive: true });
  await writeFile(outPath, serializeNotebook(notebook));
  options.log(`executed notebook: ${outPath}`);
  if (options.plotsDir) {
    const written = await writeNotebookPlots(notebook, options.plotsDir);
    options.log(`plots and images (${written.length}): ${resolve(options.plotsDir)}`);
  }
  return failures > 0 ? 1 : 0;
}

function locate(cell: StoredCell, offset: number | undefined): string {
  if (offset === undefined) return '';
  const before = cell.source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

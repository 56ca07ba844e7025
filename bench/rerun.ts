/**
 * Re-running a notebook: Run All of bench/rerun.ccnet (a real shared dataset; or the notebook given as the first
 * argument) in a cold kernel with an empty cache, then again in a new kernel process on the same
 * cache folder (what a kernel restart or a window reload leaves). Prints one JSON line:
 *   coldS, warmS (wall seconds of each Run All, kernel start included), ratio = warmS / coldS,
 *   cells, coldCellS and warmCellS (seconds per cell), restored (trainings the warm run restored from the training cache), trainedSteps
 *   (training steps the warm run took: 0 when everything was restored).
 * Needs the built kernel (npm run build).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { KernelClient } from '../src/host/client';
import type { KernelEvent } from '../src/protocol/protocol';
import { parseNotebook } from '../src/protocol/notebook-format';

const root = join(__dirname, '..');
const notebookPath = resolve(process.argv[2] ?? join(root, 'bench', 'rerun.ccnet'));

async function runAll(cacheDir: string, cells: string[]): Promise<{ seconds: number; cellS: number[]; restored: number; trainedSteps: number }> {
  const started = performance.now();
  const kernel = new KernelClient({ kernelPath: join(root, 'dist', 'kernel.js'), cacheDir, backend: process.env.CCNET_BACKEND ?? 'auto' });
  const cellS: number[] = [];
  let restored = 0;
  let trainedSteps = 0;
  const onEvent = (event: KernelEvent) => {
    if (event.type === 'progress' && /: epoch \d+\/\d+, step \d+\//.test(event.message)) trainedSteps++;
    const texts = event.type === 'output' ? event.output.items.map((i) => String(i.data)) : event.type === 'log' ? [event.text] : [];
    restored += texts.filter((t) => /restored: trained on/.test(t)).length;
  };
  try {
    for (const [i, source] of cells.entries()) {
      const cellStarted = performance.now();
      const result = await kernel.execute(source, dirname(notebookPath), onEvent);
      cellS.push(Number(((performance.now() - cellStarted) / 1000).toFixed(2)));
      if (!result.success) throw new Error(`cell ${i + 1} failed: ${result.error?.message}`);
    }
  } finally {
    await kernel.dispose();
  }
  return { seconds: (performance.now() - started) / 1000, cellS, restored, trainedSteps };
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'kernel.js'))) {
    console.error('dist/kernel.js is missing: run npm run build first');
    process.exit(1);
  }
  const cells = parseNotebook(readFileSync(notebookPath, 'utf8'), notebookPath).cells.filter((c) => c.kind === 'code').map((c) => c.source);
  const cache = mkdtempSync(join(tmpdir(), 'ccnet-bench-rerun-'));
  try {
    const cold = await runAll(cache, cells);
    const warm = await runAll(cache, cells);
    console.log(
      JSON.stringify({
        notebook: notebookPath.startsWith(root) ? notebookPath.slice(root.length + 1) : notebookPath,
        cells: cells.length,
        coldS: Number(cold.seconds.toFixed(1)),
        warmS: Number(warm.seconds.toFixed(1)),
        ratio: Number((warm.seconds / cold.seconds).toFixed(3)),
        coldCellS: cold.cellS,
        warmCellS: warm.cellS,
        restored: warm.restored,
        trainedSteps: warm.trainedSteps,
      }),
    );
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/** `dataset NAME from "PATH" [images "GLOB"] [masks "GLOB"] [size N] [patch N] [scale auto]` */
import { join, relative } from 'node:path';
import { indexDataset, type DatasetIndex, type DatasetSpec } from '../../engine/data/dataset';
import { formatNumber } from '../../protocol/outputs';
import type { ExecutionContext } from '../context';
import { markdownOutput, markdownTable, warningOutput } from '../../protocol/outputs';

export async function runDataset(args: DatasetSpec, context: ExecutionContext): Promise<void> {
  const index = await indexDataset({ ...args, scaleCacheDir: join(context.cacheDir, 'working-scale'), signal: context.signal }, context.baseDir);
  context.signal.throwIfAborted();
  context.session.datasets.set(args.name, index);
  context.session.datasetChanged(args.name);
  if (context.statementText) context.session.datasetStatements.set(args.name, context.statementText);
  if (index.skipped.length > 0) {
    context.emit({ type: 'output', output: warningOutput(index.skipped.map((s) => `skipped ${relative(context.baseDir, s.path)}: ${s.reason}`)) });
  }
  const sizes = new Map<string, number>();
  for (const pair of index.pairs) {
    const key = `${pair.widthPx}x${pair.heightPx}`;
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  const table = markdownTable(
    ['dataset', 'pairs', 'skipped', 'image sizes', 'working size', 'network input', 'folder'],
    [[
      index.name,
      index.pairs.length,
      index.skipped.length,
      [...sizes].map(([size, n]) => `${size} (${n})`).join(', '),
      workingSize(index),
      index.patchPx ? `${index.patchPx}x${index.patchPx} patches (whole images tile by tile)` : 'the whole image',
      relative(context.baseDir, index.root) || '.',
    ]],
  );
  context.emit({
    type: 'output',
    output: markdownOutput(table, [], { dataset: index.name, pairs: index.pairs.length, skipped: index.skipped.length }),
  });
}

/** The working size column: square size, scale (and why, for scale auto), or the stored size. */
function workingSize(index: DatasetIndex): string {
  if (index.sizePx) return `${index.sizePx}x${index.sizePx}`;
  const why = index.autoScale ? ` (auto: structures ${formatNumber(index.autoScale.nativeThicknessPx, 3)} px thick, shortest side ${index.autoScale.shortestSidePx} px)` : '';
  if (index.scale) return `scale ${index.scale}${why}`;
  return index.autoScale ? `as stored${why}` : 'as stored';
}

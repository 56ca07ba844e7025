/** `complexity NAME[, NAME...] [metrics all | ID[, ID...]] [per image]` */
import { join, relative } from 'node:path';
import { measureDataset, type DatasetComplexity } from '../../engine/complexity/dataset-complexity';
import { DEFAULT_MEASURE_IDS, resolveMeasures } from '../../engine/complexity/registry';
import { throttledProgress, type ExecutionContext } from '../context';
import { jsonItem, markdownItem, markdownOutput, plotOutput, warningOutput } from '../../protocol/outputs';
import { complexityBarChart, complexityDistributionChart, complexityTable, perImageTable } from '../views/complexity';

export interface ComplexityArgs {
  datasets: string[];
  /** 'all', a list of measure ids, or undefined for the default (J). */
  metrics?: string[] | 'all';
  perImage?: boolean;
}

export async function runComplexity(args: ComplexityArgs, context: ExecutionContext): Promise<void> {
  const indexes = args.datasets.map((name) => context.session.dataset(name));
  const measures = resolveMeasures(args.metrics ?? DEFAULT_MEASURE_IDS);
  const results: DatasetComplexity[] = [];
  for (const index of indexes) {
    const result = await measureDataset(index, measures, {
      signal: context.signal,
      pool: context.session.complexityPool(),
      cacheDir: join(context.cacheDir, 'complexity'),
      onProgress: throttledProgress(context, `complexity of ${index.name}`),
    });
    context.session.complexities.set(index.name, result);
    results.push(result);
  }
  const skipped = results.flatMap((r) => r.skipped.map((s) => `${r.dataset}: skipped ${relative(context.baseDir, s.path)}: ${s.reason}`));
  if (skipped.length > 0) context.emit({ type: 'output', output: warningOutput(skipped) });

  const contract = results.map((r) => ({
    dataset: r.dataset,
    imageCount: r.imageCount,
    usedCount: r.usedCount,
    measures: r.measures,
    ...(args.perImage ? { perImage: r.perImage } : {}),
  }));
  context.emit({
    type: 'output',
    output: markdownOutput(complexityTable(results, measures), [jsonItem(contract)], {
      complexity: Object.fromEntries(results.map((r) => [r.dataset, Object.fromEntries(measures.map((m) => [m.id, r.measures[m.id]!.mean]))])),
    }),
  });
  context.emit({
    type: 'output',
    output: plotOutput(complexityBarChart(results, measures), complexityTable(results, measures)),
  });
  context.emit({
    type: 'output',
    output: plotOutput(complexityDistributionChart(results, measures), 'Per-image complexity (open in CC-Net Studio to see the plot)'),
  });
  if (args.perImage) {
    for (const result of results) {
      context.emit({ type: 'output', output: { id: `per-image-${result.dataset}`, items: [markdownItem(`**${result.dataset}** per image\n\n${perImageTable(result, measures)}`)] } });
    }
  }
}

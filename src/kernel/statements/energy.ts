/** `energy MODEL on DATASET[, DATASET...]`: histograms of first-layer feature-map energy (paper Fig. 1). */
import { featureMapEnergy } from '../../engine/train/feature-energy';
import { summarize } from '../../engine/util/stats';
import type { ExecutionContext } from '../context';
import { formatNumber, jsonItem, markdownOutput, markdownTable, plotOutput } from '../../protocol/outputs';
import { checkModelTakes } from '../training';

export async function runEnergy(args: { model: string; datasets: string[] }, context: ExecutionContext): Promise<void> {
  const entry = context.session.model(args.model);
  await context.session.ensureBackend();
  const results = [];
  for (const dataset of args.datasets) {
    const samples = await context.session.samplesOf(dataset, context.signal);
    checkModelTakes(entry, dataset, samples);
    results.push({ dataset, ...(await featureMapEnergy(entry.model, samples)) });
  }
  const maxEnergy = Math.max(...results.flatMap((r) => r.values));
  const lowThreshold = 0.05 * maxEnergy;
  const table = markdownTable(
    ['dataset', 'feature maps', 'mean energy', 'std', 'share below 5% of the maximum'],
    results.map((r) => {
      const s = summarize(r.values);
      return [r.dataset, r.values.length, formatNumber(s.mean, 4), formatNumber(s.std, 3), `${formatNumber((100 * r.values.filter((v) => v < lowThreshold).length) / r.values.length, 3)}%`];
    }),
  );
  context.emit({
    type: 'output',
    output: markdownOutput(`Energy (mean squared activation) of the ${results[0]!.filters} feature maps of **${entry.name}**'s first convolution (${results[0]!.layerName}), per image.\n\n${table}`, [jsonItem(results.map((r) => ({ dataset: r.dataset, layer: r.layerName, filters: r.filters, energies: r.values })))]),
  });
  context.emit({
    type: 'output',
    output: plotOutput(
      {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: { text: `First-layer feature-map energy of ${entry.name} (paper Fig. 1)`, subtitle: 'one value per image and filter' },
        data: { values: results.flatMap((r) => r.values.map((energy) => ({ dataset: r.dataset, energy }))) },
        width: 360,
        height: 180,
        mark: { type: 'bar', opacity: 0.6, tooltip: true },
        encoding: {
          x: { field: 'energy', type: 'quantitative', bin: { maxbins: 30 }, title: 'feature-map energy' },
          y: { aggregate: 'count', type: 'quantitative', title: 'feature maps', stack: null },
          color: { field: 'dataset', type: 'nominal' },
        },
      },
      table,
    ),
  });
}

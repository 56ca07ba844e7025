/** `ccnet suggest`: the suggest statement on a labelled dataset folder and a pool folder. */
import { parseArgs } from 'node:util';
import { quote } from '../language/literal';
import { clause, DATASET_OPTIONS, datasetClauses, datasetName } from './cell-text';
import { UsageError, type Command } from './command';

/** Runs cell text in a kernel and prints its results (main.ts' runner). */
export type RunStatements = (cell: string, json: boolean, signal: AbortSignal, pickJson?: (results: unknown[]) => unknown) => Promise<number>;

export function suggestCommand(statements: RunStatements): Command {
  return {
    synopsis: 'ccnet suggest K POOL --using DIR [--network N] [--alpha A] [--ensemble M] [--bits B] [--epochs E] [--out FILE] [--json]',
    summary: 'which K images of an unlabelled pool to annotate next (suggestive annotation)',
    details: [
      'POOL is a folder of images without masks (or holding them in images/); DIR is the labelled dataset (images/ and masks/).',
      'M networks are trained on bootstrap samples of DIR\'s training images; the K suggestions are chosen among the 2K pool',
      'images they disagree on most (mean per-pixel variance), so that they cover the pool best (encoder descriptors).',
      '  --network N      the ensemble\'s network (default unet)',
      '  --alpha A        width multiplier (default 1/16)',
      '  --ensemble M     networks in the ensemble (default 4)',
      '  --bits B         quantize each network\'s kernels to B bits after training (the quantized-FCN paper)',
      '  --epochs E       training epochs per network (default 10)',
      '  --lr X           Adam learning rate (default 5e-5)',
      '  --size N, --patch N, --scale auto   prepare DIR (and the pool) as for train',
      '  --fresh          train the ensemble again even when the training cache holds it',
      '  --out FILE       write the suggested files, one path per line',
      '  --json           print the suggestions and every pool image\'s uncertainty as JSON',
    ].join('\n'),
    run(args, signal) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          using: { type: 'string' }, network: { type: 'string' }, alpha: { type: 'string' }, ensemble: { type: 'string' }, bits: { type: 'string' }, epochs: { type: 'string' }, lr: { type: 'string' },
          ...DATASET_OPTIONS, fresh: { type: 'boolean', default: false }, out: { type: 'string' }, json: { type: 'boolean', default: false },
        },
      });
      if (positionals.length !== 2 || !values.using) throw new UsageError('give how many images to suggest, the pool folder and the labelled dataset: ccnet suggest K POOL --using DIR');
      const [count, pool] = positionals as [string, string];
      if (!/^[1-9][0-9]*$/.test(count)) throw new UsageError(`K must be a whole number above 0, not ${count}`);
      const data = datasetName(values.using);
      const cell = [
        `dataset ${data} from ${quote(values.using)}${datasetClauses(values)}`,
        `suggest ${count} from ${quote(pool)} using ${data}${clause('network', values.network)}${clause('alpha', values.alpha)}${clause('ensemble', values.ensemble)}${clause('bits', values.bits)}${clause('epochs', values.epochs)}${clause('lr', values.lr)}${values.out ? ` to ${quote(values.out)}` : ''}${values.fresh ? ' fresh' : ''}`,
      ].join('\n');
      return statements(cell, values.json ?? false, signal, (results) => results.find((r) => (r as { format?: string }).format === 'ccnet-suggestions'));
    },
  };
}

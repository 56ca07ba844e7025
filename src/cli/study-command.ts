/** `ccnet study samples|annotation|quantization NETWORK DIR ...`: the study statements on a dataset folder. */
import { parseArgs } from 'node:util';
import { quote } from '../language/literal';
import { clause, DATASET_OPTIONS, datasetClauses, datasetName } from './cell-text';
import { UsageError, type Command } from './command';
import type { RunStatements } from './suggest-command';

/** Each study's options: the statement's clauses of the same names (lists given with commas). */
const STUDY_OPTIONS = {
  samples: ['prune', 'r', 'seeds', 'workers', 'epochs', 'alpha', 'lr'],
  annotation: ['labelled', 'suggest', 'rounds', 'seeds', 'bits', 'ensemble', 'epochs', 'alpha', 'lr'],
  quantization: ['bits', 'fraction', 'seeds', 'epochs', 'alpha', 'lr'],
} as const;

type StudyKind = keyof typeof STUDY_OPTIONS;

export function studyCommand(statements: RunStatements): Command {
  return {
    synopsis: 'ccnet study samples|annotation|quantization NETWORK DIR [study options] [--size N | --patch N [--scale auto]] [--fresh] [--json]',
    summary: 'the training-set-size, annotation and quantization studies on a dataset folder',
    details: [
      'Runs the notebook\'s study statement on the dataset folder DIR (images/ and masks/) and prints its table;',
      'each option is the statement\'s clause of the same name (lists with commas, e.g. --bits 32,8,4):',
      '  samples       --prune P,P... --r R,R... [--seeds N] [--workers N] [--epochs E] [--alpha A] [--lr X]',
      '  annotation    --labelled L --suggest K --rounds R [--seeds N] [--bits B] [--ensemble M] [--epochs E] [--alpha A] [--lr X]',
      '  quantization  --bits 32,8,4 --fraction F,F... [--seeds N] [--epochs E] [--alpha A] [--lr X]',
      'Trainings the cache holds are restored (--fresh trains them again); an interrupted study resumes the same way.',
      '--json prints the study\'s result (its rows) as JSON.',
    ].join('\n'),
    run(args, signal) {
      const kind = args[0] as StudyKind | undefined;
      if (!kind || !(kind in STUDY_OPTIONS)) throw new UsageError(`give the study: ccnet study samples|annotation|quantization NETWORK DIR ...${kind ? ` ('${kind}' is none of them)` : ''}`);
      const names = STUDY_OPTIONS[kind];
      const { values, positionals } = parseArgs({
        args: args.slice(1),
        allowPositionals: true,
        options: { ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), ...DATASET_OPTIONS, fresh: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
      });
      if (positionals.length !== 2) throw new UsageError(`give a network and a dataset folder: ccnet study ${kind} NETWORK DIR ...`);
      const [network, folder] = positionals as [string, string];
      const data = datasetName(folder);
      const given = values as Record<string, string | boolean | undefined>;
      const clauses = names.map((n) => clause(n, (given[n] as string | undefined)?.split(',').map((v) => v.trim()).join(', '))).join('');
      const cell = [`dataset ${data} from ${quote(folder)}${datasetClauses(given as { size?: string; patch?: string; scale?: string })}`, `study ${kind} ${network} on ${data}${clauses}${given.fresh ? ' fresh' : ''}`].join('\n');
      return statements(cell, Boolean(given.json), signal, (results) => results.filter((r) => Array.isArray((r as { rows?: unknown }).rows)).at(-1));
    },
  };
}

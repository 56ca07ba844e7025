/**
 * "CC-Net: Prune or Quantize Model..." as a statement: one of the baselines CC-Net is judged
 * against, applied to a model of the notebook's kernel, with a model name no other model has.
 * Each value is checked by the cell language's own checks, so the prompt shows the problem the
 * kernel would. Plain TypeScript (no `vscode`).
 */
import { nonNegativeInteger, positiveInteger, quantizeBitsCheck, ratioCheck } from '../language/checks';
import { parseCell } from '../language/parser';

export type BaselineMethod = 'l1' | 'magnitude' | 'quantize' | 'aware';

export const BASELINE_METHODS: readonly { method: BaselineMethod; label: string; description: string }[] = [
  { method: 'l1', label: 'L1 filter pruning', description: 'removes the filters with the smallest L1 norm, then fine-tunes (Li et al. 2017)' },
  { method: 'magnitude', label: 'Magnitude pruning', description: 'zeroes the smallest weights and retrains with them held at zero (Han et al. 2015)' },
  { method: 'quantize', label: 'Weight quantization', description: 'kernels to K bits per output channel, no training (Xu et al. 2018)' },
  { method: 'aware', label: 'Quantization-aware training', description: 'trains E epochs with K-bit weights in the forward pass, then quantizes' },
];

export interface BaselineChoice {
  model: string;
  method: BaselineMethod;
  /** l1 and magnitude: the fraction of filters or weights to remove. */
  ratio?: number;
  /** l1 and magnitude: fine-tuning epochs. */
  finetune?: number;
  /** quantize and aware: bits per kernel weight. */
  bits?: number;
  /** aware: epochs of quantization-aware training. */
  epochs?: number;
}

/** The checks of each value a method asks for (the language's), by key. */
export const BASELINE_VALUE_CHECKS = {
  ratio: ratioCheck,
  finetune: nonNegativeInteger('finetune'),
  bits: quantizeBitsCheck,
  epochs: positiveInteger('epochs'),
} as const;

function uniqueName(base: string, taken: readonly string[]): string {
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}_${i}`;
  return name;
}

const percent = (ratio: number) => Math.round(ratio * 100);

export function baselineStatement(choice: BaselineChoice, takenNames: readonly string[]): { text: string; name: string } {
  const need = (key: keyof typeof BASELINE_VALUE_CHECKS): number => {
    const value = choice[key];
    if (value === undefined) throw new Error(`${choice.method} needs a value for ${key}`);
    const problem = BASELINE_VALUE_CHECKS[key](value);
    if (problem) throw new Error(problem);
    return value;
  };
  let head: string;
  let base: string;
  if (choice.method === 'l1' || choice.method === 'magnitude') {
    const ratio = need('ratio');
    const finetune = need('finetune');
    head = `prune ${choice.model} method ${choice.method} ratio ${ratio} finetune ${finetune}`;
    base = `${choice.model}_${choice.method === 'l1' ? 'l1' : 'mag'}${percent(ratio)}`;
  } else {
    const bits = need('bits');
    const epochs = choice.method === 'aware' ? need('epochs') : undefined;
    head = `quantize ${choice.model} bits ${bits}${epochs !== undefined ? ` aware epochs ${epochs}` : ''}`;
    base = `${choice.model}_${epochs !== undefined ? 'qat' : 'q'}${bits}`;
  }
  const name = uniqueName(base, takenNames);
  const text = `${head} as ${name}`;
  const parsed = parseCell(text);
  if (parsed.diagnostics.length > 0) throw new Error(`Prune or Quantize Model wrote a statement the kernel rejects (${parsed.diagnostics[0]!.message}): ${text}`);
  return { text, name };
}

/**
 * `ccnet compare`: the command line's way to the `compare` cell. A list of model specs is turned
 * into the cells a user would write (train each base once, derive the baselines from it, then
 * compare them all on the dataset), so the CLI and the notebook give the same table.
 *
 * Model spec: NETWORK[@ALPHA][+METHOD=VALUE], where
 *   NETWORK   unet, fcn, cumedvision or squeezed-unet, squeezed-fcn, squeezed-cumedvision
 *   ALPHA     width multiplier, e.g. 1/8 or 0.125 (default 1)
 *   METHOD    l1=R (L1 filter pruning, ratio R), magnitude=R (magnitude pruning, ratio R),
 *             q=K (post-training K-bit quantization), qat=K (quantization-aware training, K bits)
 * e.g. `unet@1/8,squeezed-unet@1/8,unet@1/4+l1=0.5,unet@1/8+q=8`.
 */
import { numberLiteral } from '../language/literal';
import { NETWORK_NAMES } from '../language/networks';

export class ModelSpecError extends Error {}

const DERIVE_METHODS = ['l1', 'magnitude', 'q', 'qat'] as const;
type DeriveMethod = (typeof DERIVE_METHODS)[number];

export interface ModelSpec {
  text: string;
  network: string;
  alpha: string;
  derive?: { method: DeriveMethod; value: string };
}


export function parseModelSpec(text: string): ModelSpec {
  const spec = text.trim();
  const match = /^([a-z-]+)(?:@([^+]+))?(?:\+([a-z0-9]+)=(.+))?$/i.exec(spec);
  const example = 'unet@1/8, squeezed-unet@1/8, unet@1/4+l1=0.5, unet@1/8+magnitude=0.8, unet@1/8+q=8 or unet@1/8+qat=4';
  if (!match) throw new ModelSpecError(`model '${spec}' is not NETWORK[@ALPHA][+METHOD=VALUE]; for example ${example}`);
  const [, network, alpha = '1', method, value] = match as unknown as [string, string, string | undefined, string | undefined, string | undefined];
  if (!(NETWORK_NAMES as readonly string[]).includes(network)) throw new ModelSpecError(`model '${spec}': unknown network '${network}'; networks: ${NETWORK_NAMES.join(', ')}`);
  if (numberLiteral(alpha) === undefined) throw new ModelSpecError(`model '${spec}': width '${alpha}' is not a number like 1/8 or 0.125`);
  if (method === undefined) return { text: spec, network, alpha };
  if (!(DERIVE_METHODS as readonly string[]).includes(method)) throw new ModelSpecError(`model '${spec}': unknown method '${method}'; methods: l1=RATIO, magnitude=RATIO, q=BITS, qat=BITS`);
  if (numberLiteral(value!) === undefined) throw new ModelSpecError(`model '${spec}': '${value}' is not a number`);
  return { text: spec, network, alpha, derive: { method: method as DeriveMethod, value: value! } };
}

/** A cell-language name for a spec: unet@1/8+l1=0.5 -> unet_a1_8_l1_0_5. */
function nameOf(network: string, alpha: string, derive?: ModelSpec['derive']): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_');
  return `${clean(network)}_a${clean(alpha)}${derive ? `_${derive.method}_${clean(derive.value)}` : ''}`;
}

export interface CompareCellOptions {
  dataset: string;
  models: string[];
  epochs?: string;
  finetune?: string;
  lr?: string;
  seed?: string;
}

/** The cell text that trains, derives and compares the models on the dataset named `dataset`. */
export function compareCell(options: CompareCellOptions): { cell: string; names: string[] } {
  const specs = options.models.map(parseModelSpec);
  if (specs.length === 0) throw new ModelSpecError('give at least one model: --models unet@1/8,squeezed-unet@1/8');
  const clause = (keyword: string, value: string | undefined) => (value === undefined ? '' : ` ${keyword} ${value}`);
  const lines: string[] = [];
  const trained = new Set<string>();
  const names: string[] = [];
  for (const spec of specs) {
    const base = nameOf(spec.network, spec.alpha);
    if (!trained.has(base)) {
      trained.add(base);
      lines.push(`train ${spec.network} on ${options.dataset} alpha ${spec.alpha}${clause('epochs', options.epochs)}${clause('lr', options.lr)}${clause('seed', options.seed)} as ${base}`);
    }
    const name = spec.derive ? nameOf(spec.network, spec.alpha, spec.derive) : base;
    if (names.includes(name)) throw new ModelSpecError(`model '${spec.text}' is listed twice`);
    names.push(name);
    const derive = spec.derive;
    if (!derive) continue;
    if (derive.method === 'l1' || derive.method === 'magnitude') lines.push(`prune ${base} method ${derive.method} ratio ${derive.value}${clause('finetune', options.finetune)} as ${name}`);
    else if (derive.method === 'q') lines.push(`quantize ${base} bits ${derive.value} as ${name}`);
    else lines.push(`quantize ${base} bits ${derive.value} aware epochs ${options.finetune ?? 5} as ${name}`);
  }
  lines.push(`compare ${names.join(', ')} on ${options.dataset}`);
  return { cell: lines.join('\n'), names };
}

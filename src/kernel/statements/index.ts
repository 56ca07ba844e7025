/** Runs one parsed statement: the keyword picks the handler. */
import type { Statement } from '../../language';
import type { ExecutionContext } from '../context';
import { hasClause, optionalNumber, optionalString, stringArg, stringList } from './args';
import { runComplexity } from './complexity';
import { runDataset } from './dataset';
import { runSynthetic } from './synthetic';

type Handler = (statement: Statement, context: ExecutionContext) => Promise<void>;

const HANDLERS: Record<string, Handler> = {
  dataset: (s, c) =>
    runDataset(
      { name: stringArg(s, 'name'), path: stringArg(s, 'path'), imagesGlob: optionalString(s, 'imagesGlob'), masksGlob: optionalString(s, 'masksGlob'), sizePx: optionalNumber(s, 'size') },
      c,
    ),
  synthetic: (s, c) =>
    runSynthetic(
      { name: stringArg(s, 'name'), complexity: optionalNumber(s, 'complexity'), count: optionalNumber(s, 'count'), sizePx: optionalNumber(s, 'size'), seed: optionalNumber(s, 'seed') },
      c,
    ),
  complexity: (s, c) => {
    const metrics = stringList(s, 'metrics');
    return runComplexity({ datasets: stringList(s, 'datasets')!, metrics: metrics?.includes('all') ? 'all' : metrics, perImage: hasClause(s, 'per') }, c);
  },
};

export async function runStatement(statement: Statement, context: ExecutionContext): Promise<void> {
  const handler = HANDLERS[statement.keyword];
  if (!handler) throw new Error(`internal: no handler for the statement '${statement.keyword}'`);
  await handler(statement, context);
}

/** Keywords the kernel can run (a test checks every language statement has a handler). */
export const HANDLED_KEYWORDS = Object.keys(HANDLERS);

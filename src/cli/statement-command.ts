/**
 * CLI commands that are one or more cell statements: the command line is turned into cell
 * text and run by a kernel process exactly as a notebook cell would be, so the CLI and the
 * notebook cannot drift apart. Tables go to stdout, or with --json the JSON results.
 */
import { OutputCollector } from '../host/output-collector';
import { OVERLAY_MIME, RESULT_JSON_MIME, VEGA_LITE_MIME } from '../protocol/outputs';
import { KernelClient } from '../host/client';
import type { KernelEvent } from '../protocol/protocol';

export interface StatementCommandOptions {
  cell: string;
  json: boolean;
  baseDir: string;
  kernelPath: string;
  cacheDir: string;
  backend: string;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Which JSON results to print with --json (default: the only one, or all as a list). */
  pickJson?: (results: unknown[]) => unknown;
  /** Which tables to print without --json (default: all, in order). */
  pickMarkdown?: (tables: string[]) => string[];
}


export async function runStatementCommand(options: StatementCommandOptions): Promise<number> {
  const kernel = new KernelClient({ kernelPath: options.kernelPath, cacheDir: options.cacheDir, backend: options.backend, onLog: (_s, text) => process.stderr.write(text) });
  // outputs updated in place (progress tables, live plots) are printed in their final state
  const outputs = new OutputCollector();
  let lastProgress = 0;
  try {
    const result = await kernel.execute(
      options.cell,
      options.baseDir,
      (event: KernelEvent) => {
        outputs.apply(event);
        if (event.type === 'output') {
          for (const item of event.output.items) {
            if (item.mime === 'application/vnd.code.notebook.stderr') process.stderr.write(String(item.data));
          }
        } else if (event.type === 'progress') {
          const now = Date.now();
          if (now - lastProgress > 1000 || event.fraction === 1) {
            lastProgress = now;
            options.log(event.message);
          }
        } else if (event.type === 'log') {
          process.stderr.write(event.text);
        }
      },
      options.signal,
    );
    if (!result.success) {
      options.log(`ccnet: ${result.cancelled ? 'interrupted' : result.error?.message ?? 'failed'}`);
      return result.cancelled ? 130 : 1;
    }
  } finally {
    await kernel.dispose();
  }
  const json: unknown[] = [];
  const markdown: string[] = [];
  for (const output of outputs.outputs()) {
    for (const item of output.items) {
      if (item.mime === RESULT_JSON_MIME) json.push(item.data);
      // a plot's or overlay's markdown is only its fallback text; tables are printed
      else if (item.mime === 'text/markdown' && output.items.every((i) => i.mime !== VEGA_LITE_MIME && i.mime !== OVERLAY_MIME)) markdown.push(String(item.data));
    }
  }
  const picked = options.pickJson ? options.pickJson(json) : json.length === 1 ? json[0] : json;
  if (options.json) process.stdout.write(`${JSON.stringify(picked)}\n`);
  else process.stdout.write(`${(options.pickMarkdown ? options.pickMarkdown(markdown) : markdown).join('\n\n')}\n`);
  return 0;
}

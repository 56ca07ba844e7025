import { KernelClient } from '../../src/host/client';
import type { KernelEvent } from '../../src/protocol/protocol';
import { RESULT_JSON_MIME } from '../../src/protocol/outputs';
import { kernelPath, requireBuilt } from './built';
import { tempFolder } from './tmp';

/** Runs `use` with a kernel process on a fresh cache folder (also its base folder), then stops both. */
export async function withKernel<T>(use: (kernel: KernelClient, dir: string) => Promise<T>): Promise<T> {
  requireBuilt();
  const dir = await tempFolder();
  const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
  try {
    return await use(kernel, dir.path);
  } finally {
    await kernel.dispose();
    await dir.cleanup();
  }
}

/** The last JSON result the kernel emitted. */
export function lastResult(events: readonly KernelEvent[]): unknown {
  return events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])).at(-1);
}

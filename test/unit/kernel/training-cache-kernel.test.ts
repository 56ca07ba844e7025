// The training cache and checkpoints across kernel processes: a restart restores, a SIGKILL resumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelClient } from '../../../src/host/client';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { RESULT_JSON_MIME } from '../../../src/protocol/outputs';
import { kernelPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

test('a finished training is restored from the cache after a kernel restart, and fresh trains again', async () => {
  requireBuilt();
  const dir = await tempFolder();
  const cell = 'synthetic cached count 6 size 32 seed 4\ntrain unet on cached alpha 1/16 epochs 2 as m';
  const run = async (source: string) => {
    const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
    const events: KernelEvent[] = [];
    try {
      const result = await kernel.execute(source, dir.path, (e) => events.push(e));
      assert.equal(result.success, true, JSON.stringify(result.error));
      const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME) : [])).at(-1)!.data as { metrics: { f1: { mean: number } } };
      const text = events.flatMap((e) => (e.type === 'output' ? e.output.items.map((i) => String(i.data)) : [])).join('\n');
      const epochs = events.filter((e) => e.type === 'progress' && /epoch \d+\/2/.test(e.message)).length;
      return { f1: json.metrics.f1.mean, text, epochs };
    } finally {
      await kernel.dispose();
    }
  };
  try {
    const first = await run(cell);
    assert.ok(first.epochs > 0, 'the first run trains');
    assert.doesNotMatch(first.text, /restored:/);
    // a new kernel process: nothing in memory, the cache on disk
    const second = await run(cell);
    assert.equal(second.epochs, 0, 'no training step after the restart');
    assert.match(second.text, /restored: trained on \d{4}-\d\d-\d\d \d\d:\d\d UTC in \d+\.\d s/);
    assert.equal(second.f1, first.f1, 'the restored model has the trained one\'s results');
    const fresh = await run(cell.replace('as m', 'fresh as m'));
    assert.ok(fresh.epochs > 0, 'fresh trains again');
    assert.doesNotMatch(fresh.text, /restored:/);
  } finally {
    await dir.cleanup();
  }
});

test('after a SIGKILL mid-training, a new kernel restores the finished model from the cache and resumes the other from its last checkpoint', async () => {
  requireBuilt();
  const dir = await tempFolder();
  const data = 'synthetic ckpt count 6 size 32 seed 5';
  const finished = 'train unet on ckpt alpha 1/16 epochs 2 as done';
  const long = 'train unet on ckpt alpha 1/16 epochs 4 seed 3 as long';
  const epochsTrained = (events: KernelEvent[], of: number) => new Set(events.flatMap((e) => (e.type === 'progress' && new RegExp(`epoch (\\d+)/${of}`).exec(e.message)?.[1]) || [])).size;
  const textOf = (events: KernelEvent[]) => events.flatMap((e) => (e.type === 'output' ? e.output.items.map((i) => String(i.data)) : e.type === 'log' ? [e.text] : [])).join('\n');
  try {
    const kernel = new KernelClient({ kernelPath, cacheDir: dir.path });
    try {
      assert.equal((await kernel.execute(`${data}\n${finished}`, dir.path, () => {})).success, true);
      // kill the kernel once the second training has finished two epochs (their checkpoints are on disk)
      const events: KernelEvent[] = [];
      const result = await kernel.execute(long, dir.path, (event) => {
        events.push(event);
        if (event.type === 'progress' && /epoch 3\/4/.test(event.message) && kernel.pid) process.kill(kernel.pid, 'SIGKILL');
      });
      assert.equal(result.success, false, 'the kernel was killed during the second training');
      assert.equal(epochsTrained(events, 4), 3);
    } finally {
      await kernel.dispose();
    }
    const again = new KernelClient({ kernelPath, cacheDir: dir.path });
    try {
      const events: KernelEvent[] = [];
      const result = await again.execute(`${data}\n${finished}\n${long}`, dir.path, (e) => events.push(e));
      assert.equal(result.success, true, JSON.stringify(result.error));
      const text = textOf(events);
      assert.equal(epochsTrained(events, 2), 0, 'the finished model trains no step');
      assert.match(text, /done: .*restored: trained on/);
      assert.match(text, /long: .*resumed from the checkpoint of epoch 2 of 4/);
      // (a later attempt after a collapse to a constant prediction, if any, starts from its own initialisation)
      const firstAttempt = events.filter((e) => e.type === 'progress' && e.message.startsWith('long:') && !e.message.includes('(attempt'));
      const resumedEpochs = new Set(firstAttempt.flatMap((e) => (e.type === 'progress' && /epoch (\d+)\/4/.exec(e.message)?.[1]) || []));
      assert.deepEqual([...resumedEpochs].sort(), ['3', '4'], `only the epochs after the checkpoint train: ${text}`);
    } finally {
      await again.dispose();
    }
  } finally {
    await dir.cleanup();
  }
});

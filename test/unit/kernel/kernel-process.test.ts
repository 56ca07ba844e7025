// The real kernel process (dist/kernel.js) driven through KernelClient, as VS Code and the CLI do.
import { test } from 'node:test';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { KernelClient } from '../../../src/host/client';
import type { KernelEvent } from '../../../src/protocol/protocol';
import { kernelPath, requireBuilt } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';
import { RESULT_JSON_MIME } from '../../../src/protocol/outputs';

async function withKernel(body: (kernel: KernelClient, dir: string) => Promise<void>, interruptGraceMs = 10_000) {
  requireBuilt();
  const dir = await tempFolder();
  const kernel = new KernelClient({ kernelPath, cacheDir: dir.path, interruptGraceMs });
  try {
    await body(kernel, dir.path);
  } finally {
    await kernel.dispose();
    await dir.cleanup();
  }
}

test('a synthetic dataset and its complexity give a table, JSON and two Vega-Lite plots', async () => {
  await withKernel(async (kernel, dir) => {
    const events: KernelEvent[] = [];
    const first = await kernel.execute('synthetic toy complexity 0.3 count 4 size 64', dir, (e) => events.push(e));
    assert.equal(first.success, true, JSON.stringify(first.error));
    const second = await kernel.execute('complexity toy', dir, (e) => events.push(e));
    assert.equal(second.success, true, JSON.stringify(second.error));
    const mimes = events.flatMap((e) => (e.type === 'output' ? e.output.items.map((i) => i.mime) : []));
    assert.equal(mimes.filter((m) => m === 'application/vnd.vegalite.v5+json').length, 2);
    const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME) : []));
    const contract = json.at(-1)!.data as { dataset: string; usedCount: number; measures: { j: { mean: number; count: number } } }[];
    assert.equal(contract[0]!.dataset, 'toy');
    assert.equal(contract[0]!.usedCount, 4);
    assert.equal(contract[0]!.measures.j.count, 4);
    assert.ok(contract[0]!.measures.j.mean > 0 && contract[0]!.measures.j.mean < 1);
    assert.deepEqual((await kernel.names()).datasets, ['toy']);
  });
});

test('a parse error names the token, and statements after it do not run', async () => {
  await withKernel(async (kernel, dir) => {
    const result = await kernel.execute('synthetic a count 2 size 32\ncomplexty a\nsynthetic b count 2 size 32', dir, () => undefined);
    assert.equal(result.success, false);
    assert.match(result.error!.message, /complexty/);
    assert.match(result.error!.message, /did you mean 'complexity'/);
    assert.equal(result.error!.range!.start, 'synthetic a count 2 size 32\n'.length);
    assert.deepEqual((await kernel.names()).datasets, ['a']);
  });
});

test('a dataset that does not exist is a one-line error naming the folder', async () => {
  await withKernel(async (kernel, dir) => {
    const result = await kernel.execute('dataset x from "no/such/folder"', dir, () => undefined);
    assert.equal(result.success, false);
    assert.match(result.error!.message, /no\/such\/folder does not exist/);
    assert.equal(result.error!.message.includes('\n'), false);
    assert.equal(result.error!.stack, undefined, 'no stack trace for a user error');
  });
});

test('an undefined dataset name says how to define it', async () => {
  await withKernel(async (kernel, dir) => {
    const result = await kernel.execute('complexity ghost', dir, () => undefined);
    assert.match(result.error!.message, /dataset 'ghost' is not defined .*dataset ghost from/);
  });
});

test('an interrupt stops a long statement within moments and the kernel keeps its session', async () => {
  await withKernel(async (kernel, dir) => {
    await kernel.execute('synthetic small count 2 size 32', dir, () => undefined);
    const abort = new AbortController();
    const started = Date.now();
    const running = kernel.execute('synthetic big count 5000 size 256', dir, (event) => {
      if (event.type === 'progress' && !abort.signal.aborted) abort.abort();
    }, abort.signal);
    const result = await running;
    assert.equal(result.success, false);
    assert.equal(result.cancelled, true);
    assert.ok(Date.now() - started < 8000, 'stopped quickly');
    assert.deepEqual((await kernel.names()).datasets, ['small'], 'the session survived');
  });
});

test('an interrupt the kernel does not answer within the grace kills it (escalation), and the next run starts a new one', async () => {
  await withKernel(async (kernel, dir) => {
    await kernel.start();
    const firstPid = kernel.pid!;
    const abort = new AbortController();
    const result = await kernel.execute('synthetic big count 5000 size 256', dir, (event) => {
      if (event.type === 'progress' && !abort.signal.aborted) abort.abort();
    }, abort.signal);
    assert.equal(result.cancelled, true);
    assert.equal(result.error!.name, 'KernelRestarted');
    assert.match(result.error!.message, /did not stop in time after the interrupt/);
    const again = await kernel.execute('synthetic small count 2 size 32', dir, () => undefined);
    assert.equal(again.success, true);
    assert.notEqual(kernel.pid, firstPid);
  }, 1);
});

test('a kernel started again takes the settings in force then, not those of its first start', async () => {
  requireBuilt();
  const dir = await tempFolder();
  let backend = 'cpu';
  let starts = 0;
  const kernel = new KernelClient(() => {
    starts++;
    return { kernelPath, cacheDir: dir.path, backend, interruptGraceMs: 10_000 };
  });
  try {
    await kernel.execute('synthetic tiny count 2 size 32\nmodel unet alpha 1/16 input 32x32x1', dir.path, () => undefined);
    const first = await kernel.info();
    backend = 'wasm';
    await kernel.restart();
    const events: KernelEvent[] = [];
    await kernel.execute('synthetic tiny count 2 size 32\ntrain unet on tiny alpha 1/16 epochs 1 as t', dir.path, (e) => events.push(e));
    const second = await kernel.info();
    assert.notEqual(first.pid, second.pid);
    assert.equal(second.backend, 'wasm');
    assert.ok(starts >= 2);
  } finally {
    await kernel.dispose();
    await dir.cleanup();
  }
});

test('a kernel that dies gives a clear error and the next run starts a new one', async () => {
  await withKernel(async (kernel, dir) => {
    await kernel.start();
    const firstPid = kernel.pid!;
    const running = kernel.execute('synthetic big count 5000 size 256', dir, (event) => {
      if (event.type === 'progress' && kernel.pid === firstPid) process.kill(firstPid, 'SIGKILL');
    });
    const result = await running;
    assert.equal(result.success, false);
    assert.equal(result.error!.name, 'KernelDied');
    assert.match(result.error!.message, /stopped by signal SIGKILL.*new kernel starts on the next run/);
    const again = await kernel.execute('synthetic small count 2 size 32', dir, () => undefined);
    assert.equal(again.success, true);
    assert.notEqual(kernel.pid, firstPid);
  });
});

test('train, evaluate and export a small network through the kernel, with a live plot updated in place and overlays', async () => {
  await withKernel(async (kernel, dir) => {
    const events: KernelEvent[] = [];
    const result = await kernel.execute(
      `synthetic cells complexity 0.3 count 10 size 32\ntrain unet on cells alpha 1/16 epochs 2 lr 0.001 as tiny\nevaluate tiny on cells\nenergy tiny on cells\nexport tiny to "${dir}/tiny-model"`,
      dir,
      (e) => events.push(e),
    );
    assert.equal(result.success, true, JSON.stringify(result.error));
    const plotIds = events.filter((e) => e.type === 'output' && e.output.id.startsWith('loss') && e.output.items.some((i) => i.mime === 'application/vnd.vegalite.v5+json')).map((e) => (e as { output: { id: string } }).output.id);
    assert.equal(plotIds.length, 1, 'one loss plot');
    assert.ok(events.some((e) => e.type === 'update' && e.output.id === plotIds[0]), 'updated in place');
    const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])) as Record<string, unknown>[];
    const trained = json.find((j) => j.name === 'tiny' && j.training)!;
    assert.equal(trained.network, 'unet');
    assert.equal((trained.training as { epochsRun: number }).epochsRun, 2);
    assert.equal((trained.latency as { backend: string }).backend, 'wasm');
    const overlays = events.filter((e) => e.type === 'output' && e.output.items.some((i) => i.mime === 'application/vnd.ccnet.overlay+json'));
    assert.equal(overlays.length, 2, 'train and evaluate each show overlays');
    assert.ok(json.some((j) => j.folder === `${dir}/tiny-model`));
    const energy = json.find((j) => Array.isArray(j) && (j as unknown as { layer: string }[])[0]?.layer === 'enc1_conv1') as unknown as { filters: number; energies: number[] }[];
    assert.equal(energy[0]!.energies.length, 10 * energy[0]!.filters, 'one energy per image and filter');
    assert.deepEqual((await kernel.names()).models, ['tiny']);
    // the dashboard's view of the session: the model with its held-out metrics
    const summary = await kernel.summary();
    assert.equal(summary.models.length, 1);
    const tiny = summary.models[0]!;
    assert.equal(tiny.name, 'tiny');
    assert.equal(tiny.network, 'unet');
    assert.equal(tiny.f1, (trained.metrics as { f1: { mean: number } }).f1.mean);
    // the size reported is the bytes of the model.onnx export wrote (float32 weights and the file's structure)
    assert.equal(Math.round(tiny.sizeMB * 1e6), statSync(`${dir}/tiny-model/model.onnx`).size);
    assert.ok(tiny.sizeMB > (tiny.params * 4) / 1e6);
    assert.equal(typeof tiny.latencyMs, 'number');
    assert.deepEqual(summary.calibrations, []);
    assert.match((await kernel.info()).backendSummary ?? '', /^wasm/);
  });
});

test('an input size the network cannot take is a clear error', async () => {
  await withKernel(async (kernel, dir) => {
    const result = await kernel.execute('synthetic odd count 3 size 40\ntrain unet on odd epochs 1', dir, () => undefined);
    assert.equal(result.success, false);
    assert.match(result.error!.message, /U-Net needs an input whose sides are multiples of 16 .* size 48/);
    assert.equal(result.error!.stack, undefined);
  });
});

test('baselines through the kernel: L1 and magnitude pruning, quantization (post-training and aware), squeezing, compare', async () => {
  await withKernel(async (kernel, dir) => {
    const events: KernelEvent[] = [];
    const result = await kernel.execute(
      [
        'synthetic cells complexity 0.3 count 8 size 32',
        'train unet on cells alpha 1/16 epochs 1 as base',
        'prune base method l1 ratio 0.5 finetune 1 as l1',
        'prune base method magnitude ratio 0.8 finetune 0 as mag',
        'quantize base bits 4 as q4',
        'quantize base bits 8 aware epochs 1 as q8',
        'train squeezed-unet on cells alpha 1/16 epochs 1 as sq',
        'compare base, l1, mag, q4, q8, sq on cells',
        `export q4 to "${dir}/q4" format tfjs`,
        `export q4 to "${dir}/q4-onnx"`,
        `export mag to "${dir}/mag-onnx"`,
      ].join('\n'),
      dir,
      (e) => events.push(e),
    );
    assert.equal(result.success, true, JSON.stringify(result.error));
    const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])) as Record<string, unknown>[];
    const comparison = json.find((j) => Array.isArray(j.models)) as { models: { name: string; params: number; sizeMB: number; network: string }[] };
    const byName = Object.fromEntries(comparison.models.map((m) => [m.name, m]));
    assert.ok(byName.l1!.params < byName.base!.params / 2, 'L1 pruning removes parameters physically');
    assert.equal(byName.mag!.params, byName.base!.params, 'magnitude pruning keeps the shape');
    assert.ok(byName.q4!.sizeMB < byName.base!.sizeMB / 6, 'a 4-bit model is more than 6x smaller');
    assert.equal(byName.sq!.network, 'squeezed-unet');
    assert.ok(events.some((e) => e.type === 'output' && e.output.items.some((i) => i.mime === 'application/vnd.vegalite.v5+json' && JSON.stringify(i.data).includes('hconcat'))), 'a Pareto plot');
    const { loadModel } = await import('../../../src/engine/train/persist');
    const loaded = await loadModel(`${dir}/q4`);
    assert.equal(loaded.countParams(), byName.q4!.params);
    // the sizes in the comparison are the bytes of the files export writes
    assert.equal(Math.round(byName.q4!.sizeMB * 1e6), statSync(`${dir}/q4-onnx/model.onnx`).size);
    assert.equal(Math.round(byName.mag!.sizeMB * 1e6), statSync(`${dir}/mag-onnx/model.onnx`).size);
    for (const file of ['model-card.json', 'MODEL_CARD.md']) assert.ok(statSync(`${dir}/q4-onnx/${file}`).size > 0, file);
  });
});

test('the training-set-size study reports every (r, prune ratio) with a standard error over seeds', async () => {
  await withKernel(async (kernel, dir) => {
    const events: KernelEvent[] = [];
    const result = await kernel.execute('synthetic cells complexity 0.3 count 10 size 32\nstudy samples unet on cells prune 0, 0.5 r 0.5, 1 seeds 2 epochs 1 alpha 1/16', dir, (e) => events.push(e));
    assert.equal(result.success, true, JSON.stringify(result.error));
    const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])) as { rows?: { r: number; pruneRatio: number; seeds: number; trainImages: number; f1: { standardError: number } }[] }[];
    const rows = json.find((j) => j.rows)!.rows!;
    assert.deepEqual(rows.map((r) => [r.r, r.pruneRatio]), [[0.5, 0], [0.5, 0.5], [1, 0], [1, 0.5]]);
    assert.ok(rows.every((r) => r.seeds === 2));
    assert.equal(rows[0]!.trainImages, 4); // 8 training images of 10 (2 held out), half of them
  });
});

test('calibrate, save, load, select (accuracy, disk, memory), compress and race through the kernel', async () => {
  await withKernel(async (kernel, dir) => {
    const events: KernelEvent[] = [];
    const cell = [
      'synthetic s1 complexity 0.1 count 12 size 64 seed 1',
      'synthetic s2 complexity 0.4 count 12 size 64 seed 2',
      'synthetic s3 complexity 0.7 count 12 size 64 seed 3',
      'synthetic s4 complexity 0.95 count 12 size 64 seed 4',
      'synthetic new complexity 0.5 count 12 size 64 seed 5',
      'calibrate unet on s1, s2, s3, s4 alphas 1, 1/2 epochs 15 base 1/16 lr 0.003 as cal',
      `save cal to "${dir}/cal.json"`,
      `load calibration "${dir}/cal.json" as again`,
      'select unet for new accuracy >= 0.9 using again',
      'select unet for new disk <= 0.05 MB bits 8 using again',
      'select unet for new memory <= 0.000001 MB using again',
      'compress unet for new accuracy >= 0.9 using again epochs 1',
      // a disk budget is met by the files written: 100,000 bytes take alpha 1/2 at 8 bits, alpha 1 at 4 bits
      'compress unet for new disk <= 0.1 MB bits 8 using again epochs 1 as c8',
      `export c8 to "${dir}/c8"`,
      'compress unet for new disk <= 0.1 MB bits 4 using again epochs 1 as c4',
      `export c4 to "${dir}/c4"`,
      // 2-bit post-training quantization loses too much: the rule falls back to quantization-aware training
      'compress unet for new disk <= 0.1 MB bits 2 using again epochs 1 as c2',
      'race unet on new accuracy >= 0.9 using again epochs 1',
    ].join('\n');
    const result = await kernel.execute(cell, dir, (e) => events.push(e));
    assert.equal(result.success, true, JSON.stringify(result.error));
    const json = events.flatMap((e) => (e.type === 'output' ? e.output.items.filter((i) => i.mime === RESULT_JSON_MIME).map((i) => i.data) : [])) as Record<string, unknown>[];
    const calibration = json.find((j) => j.format === 'ccnet-calibration') as { runs: unknown[]; fit: { f1: { complexity: { line: { slope: number } } } } };
    assert.equal(calibration.runs.length, 8);
    assert.equal(typeof calibration.fit.f1.complexity.line.slope, 'number');
    const selections = json.filter((j) => j.case !== undefined && j.measured === undefined) as { case: string; alpha: number; feasible: boolean; predicted: { f1: { low: number; high: number } }; nextSmaller: unknown; params: number; reason?: string }[];
    assert.deepEqual(selections.map((s) => s.case), ['2', '1a', '1b']);
    // an accuracy target comes with the calibration's leave-one-out record at that target (4 datasets), a budget without
    const record = (selections[0] as unknown as { trackRecord: { target: number; datasets: number } | { unavailable: string } }).trackRecord;
    assert.ok(record && ('unavailable' in record ? record.unavailable.length > 0 : record.datasets === 4 && record.target === 0.9), JSON.stringify(record));
    assert.equal((selections[1] as unknown as { trackRecord?: unknown }).trackRecord, undefined);
    for (const s of selections) assert.ok(s.predicted.f1.low <= s.predicted.f1.high);
    assert.ok((selections[1] as unknown as { sizeAtBitsMB: number }).sizeAtBitsMB <= 0.05, 'the disk selection fits the budget');
    assert.equal(selections[2]!.feasible, false);
    assert.match(selections[2]!.reason!, /^even alpha = 1\/\d+ needs [\d.]+ MB \(weights and activations at batch 1, 64x64\); the budget is 0\.000001 MB$/);
    type Compressed = { relativeAlpha: number; measured: { relativeF1: number; selectedF1: number }; delivered: { bits: number; method: string | null; onnxBytes: number; withinBudget: boolean | null }; models: { name: string; metrics: { f1: { mean: number } }; kernelBits: number }[] };
    for (const [name, bits, relativeAlpha] of [['c8', 8, 0.5], ['c4', 4, 1]] as const) {
      const compressed = json.find((j) => j.delivered && (j as unknown as Compressed).delivered.bits === bits) as unknown as Compressed;
      assert.equal(compressed.relativeAlpha, relativeAlpha, `${bits} bits`);
      assert.match(compressed.delivered.method!, /quantization/);
      // the bytes on disk of the files export wrote, against the budget and the report
      const bytes = statSync(join(dir, name, 'model.onnx')).size;
      assert.ok(bytes <= 100_000, `${bits} bits: ${bytes} bytes`);
      assert.equal(bytes, compressed.delivered.onnxBytes);
      assert.equal(compressed.delivered.withinBudget, true);
      // the measured F1 is the delivered (quantized) network's, and the model card says how it was made
      const delivered = compressed.models.at(-1)!;
      assert.equal(delivered.kernelBits, bits);
      assert.equal(delivered.metrics.f1.mean, compressed.measured.selectedF1);
      const card = JSON.parse(readFileSync(join(dir, name, 'model-card.json'), 'utf8')) as { export: { modelBytes: number }; storedForm: { kernelBits: number }; delivery: string; selectedBy: { case: string }; madeBy: string[] };
      assert.equal(card.export.modelBytes, bytes);
      assert.equal(card.storedForm.kernelBits, bits);
      assert.match(card.delivery, /post-training quantization|quantization-aware training/);
      assert.equal(card.selectedBy.case, '1a');
      assert.ok(card.madeBy.some((line) => line.startsWith(`compress unet for new disk <= 0.1 MB bits ${bits}`)), card.madeBy.join('\n'));
    }
    const c2 = json.find((j) => j.delivered && (j as unknown as Compressed).delivered.bits === 2) as unknown as { delivered: { method: string; validationF1: { float: number; ptq: number; qat: number | null } } };
    assert.notEqual(c2.delivered.validationF1.qat, null, 'quantization-aware training ran');
    assert.equal(c2.delivered.method, c2.delivered.validationF1.qat! > c2.delivered.validationF1.ptq ? 'quantization-aware training' : 'post-training quantization', 'the better on validation');
    const report = json.find((j) => j.measured) as { measured: { relativeF1: number }; parameterReduction: number };
    assert.equal(typeof report.measured.relativeF1, 'number');
    assert.ok(report.parameterReduction >= 1);
    const race = json.find((j) => Array.isArray(j.pruneSteps)) as { rows: { seconds: number }[] };
    assert.equal(race.rows.length, 2);

    // resume: a new kernel (as after a crash) finds the runs autosaved per name, network and plan shape and trains only the missing ones
    const autosaves = readdirSync(join(dir, 'calibrations')).filter((f) => /^cal\.unet\.[0-9a-f]{12}\.json$/.test(f));
    assert.equal(autosaves.length, 1, `one autosave of calibration cal (${readdirSync(join(dir, 'calibrations')).join(', ')})`);
    const autosave = join(dir, 'calibrations', autosaves[0]!);
    const saved = JSON.parse(readFileSync(autosave, 'utf8')) as { runs: { dataset: string; alpha: number }[] };
    saved.runs = saved.runs.filter((r) => !(r.dataset === 's4' && r.alpha === 0.5));
    writeFileSync(autosave, JSON.stringify(saved));
    const again = new KernelClient({ kernelPath, cacheDir: dir, interruptGraceMs: 10_000 });
    try {
      const texts: string[] = [];
      const resumed = await again.execute(cell.split('\n').slice(0, 6).join('\n'), dir, (e) => {
        if (e.type === 'output' || e.type === 'update') texts.push(...e.output.items.filter((i) => i.mime === 'text/markdown').map((i) => String(i.data)));
      });
      assert.equal(resumed.success, true, JSON.stringify(resumed.error));
      assert.ok(texts.some((t) => t.includes('8/8 runs done (7 kept from an earlier calibration of the same runs)')), texts.filter((t) => t.includes('runs done')).join('\n'));
    } finally {
      await again.dispose();
    }
  });
});

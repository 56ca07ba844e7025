// The real `ccnet` command (bin/ccnet.js -> dist/cli.js), as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNotebook, serializeNotebook, type StoredNotebook } from '../../../src/protocol/notebook-format';
import { cliPath, requireBuilt, sharedDatasets } from '../../helpers/built';
import { tempFolder } from '../../helpers/tmp';

function ccnet(args: string[], cacheDir: string) {
  requireBuilt();
  return spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, CCNET_CACHE_DIR: cacheDir }, timeout: 120_000 });
}

function notebookOf(...sources: string[]): string {
  const notebook: StoredNotebook = {
    format: 'ccnet-notebook',
    formatVersion: 1,
    metadata: {},
    cells: sources.map((source) => ({ kind: 'code', language: 'ccnet', source, outputs: [] })),
  };
  return serializeNotebook(notebook);
}

test('ccnet --help lists the commands', () => {
  const result = ccnet(['--help'], '/tmp');
  assert.equal(result.status, 0);
  assert.match(result.stdout, /ccnet run FILE\.ccnet/);
  assert.match(result.stdout, /ccnet complexity DIR/);
});

test('ccnet run executes every cell, writes the executed notebook and the plots', async () => {
  const dir = await tempFolder();
  try {
    const file = join(dir.path, 'nb.ccnet');
    writeFileSync(file, notebookOf('synthetic a complexity 0.2 count 3 size 64', 'complexity a'));
    const result = ccnet(['run', file, '--out', join(dir.path, 'out.ccnet'), '--plots', join(dir.path, 'plots')], join(dir.path, 'cache'));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /\[1\/2\] synthetic a/);
    assert.match(result.stderr, /\[2\/2\] complexity a/);
    const executed = parseNotebook(readFileSync(join(dir.path, 'out.ccnet'), 'utf8'));
    assert.equal(executed.cells[1]!.execution!.success, true);
    assert.ok(executed.cells[1]!.outputs.some((o) => o.items.some((i) => i.mime === 'application/vnd.vegalite.v5+json')));
    const svgs = readdirSync(join(dir.path, 'plots')).filter((f) => f.endsWith('.svg'));
    assert.equal(svgs.length, 2);
    assert.match(readFileSync(join(dir.path, 'plots', svgs[0]!), 'utf8'), /<svg[^>]*>.*<path/s);
    assert.equal(readFileSync(file, 'utf8'), notebookOf('synthetic a complexity 0.2 count 3 size 64', 'complexity a'), 'the input is unchanged');
  } finally {
    await dir.cleanup();
  }
});

test('a failing cell makes the exit code 1, names the problem and skips the rest', async () => {
  const dir = await tempFolder();
  try {
    const file = join(dir.path, 'nb.ccnet');
    writeFileSync(file, notebookOf('dataset d from "missing-folder"', 'synthetic a count 2 size 32'));
    const result = ccnet(['run', file], join(dir.path, 'cache'));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /failed: dataset d: folder .*missing-folder does not exist/);
    assert.match(result.stderr, /\[2\/2\] skipped/);
    const executed = parseNotebook(readFileSync(join(dir.path, 'nb.executed.ccnet'), 'utf8'));
    assert.equal(executed.cells[0]!.execution!.success, false);
    assert.equal(executed.cells[1]!.execution, undefined);
  } finally {
    await dir.cleanup();
  }
});

test('a malformed notebook is a clear error and is not overwritten', async () => {
  const dir = await tempFolder();
  try {
    const file = join(dir.path, 'bad.ccnet');
    writeFileSync(file, '{"cells": [');
    const result = ccnet(['run', file], join(dir.path, 'cache'));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /bad\.ccnet is not valid JSON/);
    assert.equal(readFileSync(file, 'utf8'), '{"cells": [');
    assert.equal(existsSync(join(dir.path, 'bad.executed.ccnet')), false);
  } finally {
    await dir.cleanup();
  }
});

test('ccnet complexity --json measures a real dataset', () => {
  const result = ccnet(['complexity', join(sharedDatasets, 'dic-c2dh-hela'), '--json'], '/tmp');
  assert.equal(result.status, 0, result.stderr);
  const out = JSON.parse(result.stdout) as { datasets: { dataset: string; usedCount: number; measures: { j: { mean: number } } }[] };
  assert.equal(out.datasets[0]!.dataset, 'dic-c2dh-hela');
  assert.equal(out.datasets[0]!.usedCount, 42);
  assert.ok(out.datasets[0]!.measures.j.mean > 0.02 && out.datasets[0]!.measures.j.mean < 0.6);
});

test('an unknown command is a usage error (exit 2)', () => {
  const result = ccnet(['frobnicate'], '/tmp');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command 'frobnicate'/);
});

test('ccnet model --json prints the closed-form size keys', () => {
  const result = ccnet(['model', 'unet', '--alpha', '1/2', '--input', '64x64x3', '--json'], '/tmp');
  assert.equal(result.status, 0, result.stderr);
  const out = JSON.parse(result.stdout) as Record<string, number>;
  for (const key of ['params', 'log10Params', 'sizeMB', 'flops', 'activationMB']) assert.equal(typeof out[key], 'number', key);
  assert.equal(out.sizeMB, (out.params! * 4) / 1e6);
});

test('ccnet train --json trains on a folder and reports metrics; a bad alpha is named', async () => {
  const dir = await tempFolder();
  try {
    const data = join(dir.path, 'cache');
    const { writeSyntheticDataset } = await import('../../../src/engine/data/synthetic');
    await writeSyntheticDataset(join(dir.path, 'cells'), { complexity: 0.3, count: 6, sizePx: 32, seed: 2 });
    const result = ccnet(['train', 'unet', join(dir.path, 'cells'), '--alpha', '1/16', '--epochs', '1', '--json', '--out', join(dir.path, 'model')], data);
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { network: string; metrics: { f1: { mean: number } }; training: { epochsRun: number } };
    assert.equal(out.network, 'unet');
    assert.equal(out.training.epochsRun, 1);
    assert.equal(typeof out.metrics.f1.mean, 'number');
    assert.ok(existsSync(join(dir.path, 'model', 'model.onnx')), 'ONNX by default');
    assert.ok(existsSync(join(dir.path, 'model', 'model-card.json')), 'with its model card');
    const tfjs = ccnet(['train', 'unet', join(dir.path, 'cells'), '--alpha', '1/16', '--epochs', '1', '--format', 'tfjs', '--out', join(dir.path, 'model-tfjs')], data);
    assert.equal(tfjs.status, 0, tfjs.stderr);
    assert.ok(existsSync(join(dir.path, 'model-tfjs', 'model.json')));
    const bad = ccnet(['train', 'unet', join(dir.path, 'cells'), '--alpha', '7'], data);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /alpha \(the width multiplier\) must be above 0 and at most 4, not 7/);
  } finally {
    await dir.cleanup();
  }
});

test('ccnet compare --json trains, derives and compares models; a bad spec is a usage error', async () => {
  const dir = await tempFolder();
  try {
    const cache = join(dir.path, 'cache');
    const { writeSyntheticDataset } = await import('../../../src/engine/data/synthetic');
    await writeSyntheticDataset(join(dir.path, 'cells'), { complexity: 0.3, count: 6, sizePx: 32, seed: 2 });
    const result = ccnet(['compare', join(dir.path, 'cells'), '--models', 'unet@1/16,unet@1/16+l1=0.5,unet@1/16+magnitude=0.5,unet@1/16+q=8', '--epochs', '1', '--finetune', '1', '--json'], cache);
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { dataset: string; models: { name: string; params: number; sizeMB: number; sparseEstimateMB: number | null; metrics: Record<string, { mean: number }>; latency: { medianMsPerImage: number } }[] };
    assert.deepEqual(out.models.map((m) => m.name), ['unet_a1_16', 'unet_a1_16_l1_0_5', 'unet_a1_16_magnitude_0_5', 'unet_a1_16_q_8']);
    const [base, l1, magnitude, q8] = out.models as [typeof out.models[0], typeof out.models[0], typeof out.models[0], typeof out.models[0]];
    for (const m of out.models) for (const metric of ['f1', 'iou', 'sensitivity', 'specificity', 'accuracy', 'crossEntropy']) assert.equal(typeof m.metrics[metric]?.mean, 'number', `${m.name} ${metric}`);
    assert.ok(l1.params < base.params / 2, 'L1 pruning at 0.5 removes over half the parameters (filters in and out)');
    assert.equal(magnitude.params, base.params, 'magnitude pruning keeps the shapes');
    // exports store the zeros densely: the files differ only by the stored form's description in the metadata
    assert.ok(Math.abs(magnitude.sizeMB - base.sizeMB) * 1e6 < 100, `${magnitude.sizeMB} against ${base.sizeMB} MB`);
    assert.ok(magnitude.sparseEstimateMB! < base.sizeMB, 'only an estimate is smaller');
    assert.ok(Math.abs(q8.sizeMB / base.sizeMB - 0.25) < 0.05, `8 bits are about a quarter of 32 (${q8.sizeMB / base.sizeMB})`);
    const table = ccnet(['compare', join(dir.path, 'cells'), '--models', 'squeezed-unet@1/16', '--epochs', '1'], cache);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^Compared on cells/);
    assert.match(table.stdout, /\| squeezed_unet_a1_16 \| squeezed-unet \|/);
    const bad = ccnet(['compare', join(dir.path, 'cells'), '--models', 'unet@1/8+prune=0.5'], cache);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown method 'prune'/);
  } finally {
    await dir.cleanup();
  }
});

test('ccnet race --json times CC-Net against train-prune-fine-tune with the shipped calibration', async () => {
  const dir = await tempFolder();
  try {
    const { writeSyntheticDataset } = await import('../../../src/engine/data/synthetic');
    await writeSyntheticDataset(join(dir.path, 'cells'), { complexity: 0.3, count: 6, sizePx: 32, seed: 2 });
    const result = ccnet(['race', 'unet', join(dir.path, 'cells'), '--accuracy', '0.9', '--epochs', '1', '--size', '32', '--json'], join(dir.path, 'cache'));
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { selectedAlpha: number; rows: { method: string; seconds: number; params: number }[]; pruneSteps: { ratio: number }[] };
    assert.equal(out.rows.length, 2);
    assert.match(out.rows[0]!.method, /CC-Net/);
    assert.ok(out.rows.every((r) => r.seconds > 0 && r.params > 0));
    assert.ok(out.pruneSteps.length >= 1 && out.pruneSteps[0]!.ratio === 0.25);
    assert.ok(out.selectedAlpha > 0 && out.selectedAlpha <= 1);
    const missing = ccnet(['race', 'unet', join(dir.path, 'cells')], join(dir.path, 'cache'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--accuracy 0\.9/);
  } finally {
    await dir.cleanup();
  }
});

test('ccnet calibrate writes a calibration file that records its command line, recipe and restarts', async () => {
  const dir = await tempFolder();
  try {
    const out = join(dir.path, 'my cal.json');
    const args = ['calibrate', 'unet', '--synthetic', '0.2,0.8', '--synthetic-size', '32', '--alphas', '1,1/2', '--epochs', '1', '--base', '1/16', '--lr', '0.003', '--out', out];
    const result = ccnet(args, join(dir.path, 'cache'));
    assert.equal(result.status, 0, result.stderr);
    const calibration = JSON.parse(readFileSync(out, 'utf8')) as { command: string; plan: { recipe: string }; runs: { restarts: number }[] };
    // the path with a space is quoted for the shell
    assert.equal(calibration.command, `ccnet ${args.slice(0, -1).join(' ')} '${out}'`);
    assert.match(calibration.plan.recipe, /foreground prior/);
    assert.equal(calibration.runs.length, 4);
    assert.ok(calibration.runs.every((r) => Number.isInteger(r.restarts) && r.restarts >= 0));
  } finally {
    await dir.cleanup();
  }
});

test('a calibration killed mid-run (SIGKILL) leaves --out with its finished runs and the command that continues it', async () => {
  requireBuilt();
  const dir = await tempFolder();
  try {
    const out = join(dir.path, 'partial.json');
    const args = ['calibrate', 'unet', '--synthetic', '0.2,0.8', '--synthetic-size', '32', '--alphas', '1,1/2,1/4', '--epochs', '2', '--base', '1/16', '--lr', '0.003', '--workers', '1', '--out', out];
    // its own process group, so that the kill takes the CLI and its kernel at once, as a crash or an OOM kill would
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, CCNET_CACHE_DIR: join(dir.path, 'cache') }, detached: true, stdio: 'ignore' });
    const exited = new Promise((done) => child.on('exit', done));
    const deadline = Date.now() + 120_000;
    const runsIn = () => (existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as { runs: unknown[] }).runs.length : 0);
    while (runsIn() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    const partial = JSON.parse(readFileSync(out, 'utf8')) as { command?: string; runs: unknown[] };
    assert.ok(partial.runs.length >= 1 && partial.runs.length < 6, `${partial.runs.length} runs`);
    assert.equal(partial.command, `ccnet ${args.join(' ')}`);
    // the recorded command, run again, keeps the finished runs and trains the rest
    const again = ccnet(args, join(dir.path, 'other-cache'));
    assert.equal(again.status, 0, again.stderr);
    const whole = JSON.parse(readFileSync(out, 'utf8')) as { command?: string; runs: unknown[] };
    assert.equal(whole.runs.length, 6);
    assert.equal(whole.command, partial.command);
    assert.match(again.stdout + again.stderr, new RegExp(`${partial.runs.length} kept from an earlier calibration`));
  } finally {
    await dir.cleanup();
  }
});

test('ccnet evaluate, quantize, prune and export work on exported model folders (ONNX and TensorFlow.js) with --json', async () => {
  const dir = await tempFolder();
  try {
    const cache = join(dir.path, 'cache');
    const cells = join(dir.path, 'cells');
    const { writeSyntheticDataset } = await import('../../../src/engine/data/synthetic');
    await writeSyntheticDataset(cells, { complexity: 0.3, count: 8, sizePx: 32, seed: 3 });
    const json = (result: ReturnType<typeof ccnet>) => {
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as { name: string; params: number; kernelBits: number; metrics: { f1: { mean: number } }; files?: { name: string }[] };
    };
    const trained = json(ccnet(['train', 'unet', cells, '--alpha', '1/16', '--epochs', '1', '--lr', '0.003', '--json', '--out', join(dir.path, 'onnx')], cache));
    json(ccnet(['train', 'unet', cells, '--alpha', '1/16', '--epochs', '1', '--lr', '0.003', '--json', '--out', join(dir.path, 'tfjs'), '--format', 'tfjs'], cache));
    // the held-out images of the card's seed: the metrics training reported, from either format
    for (const format of ['onnx', 'tfjs']) {
      const evaluated = json(ccnet(['evaluate', join(dir.path, format), cells, '--json'], cache));
      assert.equal(evaluated.metrics.f1.mean, trained.metrics.f1.mean, format);
    }
    const quantized = json(ccnet(['quantize', join(dir.path, 'onnx'), cells, '--bits', '8', '--out', join(dir.path, 'q8'), '--json'], cache));
    assert.equal(quantized.kernelBits, 8);
    assert.ok(existsSync(join(dir.path, 'q8', 'model.onnx')) && existsSync(join(dir.path, 'q8', 'model-card.json')));
    const pruned = json(ccnet(['prune', join(dir.path, 'tfjs'), cells, '--method', 'l1', '--ratio', '0.5', '--finetune', '1', '--out', join(dir.path, 'pruned'), '--format', 'tfjs', '--json'], cache));
    assert.ok(pruned.params < trained.params / 2);
    assert.ok(existsSync(join(dir.path, 'pruned', 'model.json')));
    const exported = json(ccnet(['export', join(dir.path, 'q8'), '--format', 'tfjs', '--out', join(dir.path, 'q8-tfjs'), '--json'], cache));
    assert.deepEqual(exported.files!.map((f) => f.name), ['model.json', 'weights.bin']);
    // the quantized network in the other format is the same network
    const again = json(ccnet(['evaluate', join(dir.path, 'q8-tfjs'), cells, '--json'], cache));
    assert.equal(again.metrics.f1.mean, quantized.metrics.f1.mean);
    assert.equal(again.kernelBits, 8);
  } finally {
    await dir.cleanup();
  }
});

test('ccnet lodo prints the acceptance figures as JSON, and says when one seed cannot show the oracle\'s reproducibility', async () => {
  const shipped = join(import.meta.dirname, '../../../media/calibrations/unet.json');
  const json = ccnet(['lodo', '--calibration', shipped, '--target', '0.9,0.95', '--json'], '/tmp');
  assert.equal(json.status, 0, json.stderr);
  const reports = JSON.parse(json.stdout) as { target: number; datasets: number; oracleHits: number; misses: number; meanAbsoluteGap: number; coverage: number; meanIntervalWidth: number; meanParameterReduction: number; meanOracleAgreement: number; rows: { dataset: string; oracleAgreement: number }[] }[];
  assert.deepEqual(reports.map((r) => r.target), [0.9, 0.95]);
  for (const r of reports) {
    assert.equal(r.datasets, 7);
    for (const key of ['oracleHits', 'misses', 'meanAbsoluteGap', 'coverage', 'meanIntervalWidth', 'meanParameterReduction', 'meanOracleAgreement'] as const) assert.equal(typeof r[key], 'number', key);
    // ten seeds: 10!/(5! 5!) / 2 = 126 unordered splits of 5 against 5 per dataset, so each agreement is a multiple of 1/126
    for (const row of r.rows) assert.ok(Math.abs(row.oracleAgreement * 126 - Math.round(row.oracleAgreement * 126)) < 1e-9, `${row.dataset}: ${row.oracleAgreement}`);
  }
  const dir = await tempFolder();
  try {
    const calibration = JSON.parse(readFileSync(shipped, 'utf8')) as { runs: { seed: number }[]; probe?: unknown };
    calibration.runs = calibration.runs.filter((r) => r.seed === 1);
    delete calibration.probe;
    const oneSeed = join(dir.path, 'one-seed.json');
    writeFileSync(oneSeed, JSON.stringify(calibration));
    const text = ccnet(['lodo', '--calibration', oneSeed], join(dir.path, 'cache'));
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /With one seed per dataset the oracle's reproducibility cannot be measured/);
    assert.match(text.stdout, /\| [a-z0-9-]+ \| .* \| (1|\d+\/\d+) \(one seed\) \|/);
  } finally {
    await dir.cleanup();
  }
});

test('ccnet lodo --seeds scores only those seeds\' runs: the same figures as a file that holds only them', async () => {
  const shipped = join(import.meta.dirname, '../../../media/calibrations/unet.json');
  const dir = await tempFolder();
  try {
    const calibration = JSON.parse(readFileSync(shipped, 'utf8')) as { runs: { seed: number }[]; probe?: { runs: { seed: number }[] } };
    const firstThree = (r: { seed: number }) => r.seed >= 1 && r.seed <= 3;
    calibration.runs = calibration.runs.filter(firstThree);
    if (calibration.probe) calibration.probe.runs = calibration.probe.runs.filter(firstThree);
    const filtered = join(dir.path, 'seeds-1-3.json');
    writeFileSync(filtered, JSON.stringify(calibration));
    const bySeeds = ccnet(['lodo', '--calibration', shipped, '--target', '0.9', '--probe', '--seeds', '1-2,3', '--json'], '/tmp');
    assert.equal(bySeeds.status, 0, bySeeds.stderr);
    const byFile = ccnet(['lodo', '--calibration', filtered, '--target', '0.9', '--probe', '--json'], '/tmp');
    assert.equal(byFile.status, 0, byFile.stderr);
    assert.deepEqual(JSON.parse(bySeeds.stdout), JSON.parse(byFile.stdout));
    // three seeds per dataset: every row lists three per-seed ratios
    for (const row of (JSON.parse(bySeeds.stdout) as { rows: { measuredBySeed: unknown[] }[] }).rows) assert.equal(row.measuredBySeed.length, 3);
    const typo = ccnet(['lodo', '--calibration', shipped, '--seeds', '1-x'], '/tmp');
    assert.equal(typo.status, 1);
    assert.match(typo.stderr, /--seeds 1-x: "1-x" is not a seed or a range/);
    const missing = ccnet(['lodo', '--calibration', join(dir.path, 'no-such.json')], '/tmp');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /calibration file .*no-such\.json does not exist/);
    const absent = ccnet(['lodo', '--calibration', shipped, '--seeds', '1,98-99'], '/tmp');
    assert.equal(absent.status, 1);
    assert.match(absent.stderr, /has no runs of seeds 98, 99 \(its seeds: 1, 2, 3, /);
  } finally {
    await dir.cleanup();
  }
});

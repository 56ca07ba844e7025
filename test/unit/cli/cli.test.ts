// The real `ccnet` command (bin/ccnet.js -> dist/cli.js), as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNotebook, serializeNotebook, type StoredNotebook } from '../../../src/notebook/format';
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
    assert.ok(existsSync(join(dir.path, 'model', 'model.json')));
    const bad = ccnet(['train', 'unet', join(dir.path, 'cells'), '--alpha', '7'], data);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /alpha \(the width multiplier\) must be above 0 and at most 4, not 7/);
  } finally {
    await dir.cleanup();
  }
});

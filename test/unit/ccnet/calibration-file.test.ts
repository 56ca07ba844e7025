import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { autosavePath } from '../../../src/kernel/calibration-autosave';
import { CalibrationFormatError, continuedCalibration, newCalibration, parseCalibration, pendingRuns, reusableRuns, serializeCalibration, withRun, type CalibrationPlan } from '../../../src/engine/ccnet/calibration-file';

const plan: CalibrationPlan = { network: 'unet', baseWidth: 0.125, inputSizePx: 128, patchPx: 128, channels: 3, alphas: [1, 0.5], epochs: 5, seeds: [1], batch: 4, learningRate: 0.003 };
const datasets = [
  { name: 'a', source: '/a', imageCount: 10, complexity: { j: 0.1, b: 0.2 } },
  { name: 'b', source: '/b', imageCount: 10, complexity: { j: 0.3, b: 0.9 } },
];
const run = (dataset: string, alpha: number, f1: number) => ({ dataset, alpha, seed: 1, width: 0.125 * alpha, params: Math.round(1e5 * alpha * alpha), f1, iou: f1 * 0.8, metrics: { f1 }, trainMs: 1000, epochsRun: 5 });

test('a calibration keeps its finished runs, lists the pending ones and round-trips through its file', () => {
  let calibration = newCalibration(plan, 'wasm', datasets, 'ccnet calibrate unet a b --patch 128');
  assert.equal(pendingRuns(calibration).length, 4);
  calibration = withRun(calibration, run('a', 1, 0.8));
  calibration = withRun(calibration, run('a', 1, 0.82)); // the same run again replaces the first
  assert.deepEqual(pendingRuns(calibration), [{ dataset: 'a', alpha: 0.5, seed: 1 }, { dataset: 'b', alpha: 1, seed: 1 }, { dataset: 'b', alpha: 0.5, seed: 1 }]);
  const parsed = parseCalibration(serializeCalibration(calibration), 'test.json');
  assert.equal(parsed.plan.patchPx, 128);
  assert.equal(parsed.runs.length, 1);
  assert.equal(parsed.runs[0]!.f1, 0.82);
});

test('a new plan keeps the runs it shares with an earlier calibration, and only those', () => {
  let earlier = newCalibration(plan, 'wasm', datasets);
  for (const [d, a] of [['a', 1], ['a', 0.5], ['b', 1], ['b', 0.5]] as const) earlier = withRun(earlier, run(d, a, 0.8));
  const keys = (runs: { dataset: string; alpha: number; seed: number }[]) => runs.map((r) => `${r.dataset} ${r.alpha} ${r.seed}`).sort();
  // another seed and a narrower width: all four runs are still runs of the new plan
  assert.equal(reusableRuns(earlier, { ...plan, seeds: [1, 2], alphas: [1, 0.5, 0.25] }, datasets).length, 4);
  // a width left out of the new plan drops its runs
  assert.deepEqual(keys(reusableRuns(earlier, { ...plan, alphas: [1, 0.25] }, datasets)), ['a 1 1', 'b 1 1']);
  // dataset b now downscaled (scale auto): its runs train again, a's (still at its stored resolution) are kept
  const rescaled = [datasets[0]!, { ...datasets[1]!, workingScale: 0.25 }];
  assert.deepEqual(keys(reusableRuns(earlier, { ...plan, datasetScale: 'auto' }, rescaled)), ['a 0.5 1', 'a 1 1']);
  // another folder under the same name is another dataset
  assert.deepEqual(keys(reusableRuns(earlier, plan, [datasets[0]!, { ...datasets[1]!, source: '/elsewhere' }])), ['a 0.5 1', 'a 1 1']);
  // anything that shapes a run (epochs, learning rate, patience, recipe) keeps nothing
  assert.equal(reusableRuns(earlier, { ...plan, epochs: 6 }, datasets).length, 0);
  assert.equal(reusableRuns(earlier, { ...plan, patience: 4 }, datasets).length, 0);
  assert.equal(reusableRuns(earlier, { ...plan, recipe: 'another' }, datasets).length, 0);
});

test('runs are kept for the same files wherever their folder is (by fingerprint), and by folder where a file has no fingerprint', () => {
  const withPrints = datasets.map((d) => ({ ...d, fingerprint: `sha-${d.name}` }));
  let earlier = newCalibration(plan, 'wasm', withPrints);
  for (const [d, a] of [['a', 1], ['a', 0.5], ['b', 1], ['b', 0.5]] as const) earlier = withRun(earlier, run(d, a, 0.8));
  // another machine: other folders, the same files
  const moved = withPrints.map((d) => ({ ...d, source: `/elsewhere${d.source}` }));
  assert.equal(reusableRuns(earlier, plan, moved).length, 4);
  // the same folder, but a's files changed
  const changed = withPrints.map((d) => (d.name === 'a' ? { ...d, fingerprint: 'sha-other' } : d));
  assert.deepEqual(reusableRuns(earlier, plan, changed).map((r) => r.dataset), ['b', 'b']);
  // a file of a version without fingerprints: by folder
  const old = { ...earlier, datasets };
  assert.equal(reusableRuns(old, plan, moved).length, 0);
  assert.equal(reusableRuns(old, plan, withPrints).length, 4);
});

test('the autosave of a calibration is per name, network and plan shape: added seeds or widths find it, other epochs do not', () => {
  const path = (p: CalibrationPlan, name = 'cal') => autosavePath('/cache', name, p);
  assert.match(path(plan), /^\/cache\/calibrations\/cal\.unet\.[0-9a-f]{12}\.json$/);
  assert.equal(path({ ...plan, seeds: [1, 2, 3], alphas: [1, 0.5, 0.25], datasetScale: 'auto' }), path(plan));
  assert.notEqual(path({ ...plan, epochs: 6 }), path(plan));
  assert.notEqual(path({ ...plan, learningRate: 0.001 }), path(plan));
  assert.notEqual(path({ ...plan, network: 'fcn' }), path(plan));
  assert.notEqual(path(plan, 'other'), path(plan));
});

test('a malformed calibration file is refused, naming the file and the field', () => {
  const good = JSON.parse(serializeCalibration(newCalibration(plan, 'wasm', datasets)));
  const bad = (edit: (raw: any) => void) => {
    const raw = structuredClone(good);
    edit(raw);
    return () => parseCalibration(JSON.stringify(raw), 'cal.json');
  };
  assert.throws(() => parseCalibration('{', 'cal.json'), /cal.json is not valid JSON/);
  assert.throws(bad((r) => (r.format = 'other')), /cal.json: format must be "ccnet-calibration"/);
  assert.throws(bad((r) => (r.plan.epochs = 'five')), /cal.json: plan.epochs must be a number/);
  assert.throws(bad((r) => (r.plan.patchPx = 64)), (e: unknown) => e instanceof CalibrationFormatError && /plan.patchPx must be a number equal to plan.inputSizePx/.test(e.message));
  assert.throws(bad((r) => delete r.datasets[1].complexity.b), /datasets\[1\].complexity.b must be a number/);
  assert.doesNotThrow(bad((r) => delete r.plan.patchPx), 'files without patches (whole images) are valid');
});

test('the shipped calibrations parse and have a fit', () => {
  const folder = join(import.meta.dirname, '../../../media/calibrations');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
    const calibration = parseCalibration(readFileSync(join(folder, file), 'utf8'), file);
    assert.ok(calibration.fit, `${file} has a fit`);
    assert.ok(calibration.command?.includes(`--out media/calibrations/${file}`), `${file} records the command that reproduces it`);
  }
});

test('a continued calibration keeps its command only under the same plan', () => {
  let earlier = newCalibration(plan, 'wasm', datasets, 'ccnet calibrate unet a b --seeds 1 --out cal.json');
  earlier = withRun(earlier, run('a', 1, 0.8));
  const same = continuedCalibration(earlier, plan, datasets, earlier.runs);
  assert.equal(same.command, 'ccnet calibrate unet a b --seeds 1 --out cal.json');
  // two seeds: the old command would make the one-seed calibration, not this one
  const grown = continuedCalibration(earlier, { ...plan, seeds: [1, 2] }, datasets, earlier.runs);
  assert.equal(grown.command, undefined);
  assert.deepEqual(grown.plan.seeds, [1, 2]);
  assert.equal(grown.runs.length, 1);
  assert.equal(grown.createdAt, earlier.createdAt);
  assert.equal(continuedCalibration(earlier, plan, [datasets[0]!], earlier.runs).command, undefined);
});

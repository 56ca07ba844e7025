// The dashboard's form keeps the user's choice while the kernel (re)defines its datasets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveForm } from '../../../webview/panel/effective-form';
import type { CompressForm, DashboardState } from '../../../src/commands/dashboard-protocol';

const form: CompressForm = { dataset: 'medium', network: 'unet', constraint: 'accuracy', value: '0.9', bits: '', batch: '', calibration: 'cal', epochs: '3' };
const dataset = (name: string): DashboardState['datasets'][number] => ({ name, root: `/data/${name}`, pairs: 16, skipped: 0, complexity: {} });
const calibration = (name: string): DashboardState['calibrations'][number] => ({ name, network: 'unet', datasets: ['em'], alphas: [1, 0.5], inputSize: 128, epochs: 8, fitted: true });

test('while only the first of a cell\'s datasets is back, the form shows it and the saved choice stays', () => {
  const partial = { datasets: [dataset('sparse')], calibrations: [] };
  assert.equal(effectiveForm(form, partial).dataset, 'sparse');
  assert.equal(effectiveForm(form, partial).calibration, '');
  assert.equal(form.dataset, 'medium', 'the saved form is not changed');
  const complete = { datasets: [dataset('sparse'), dataset('medium'), dataset('crowded')], calibrations: [calibration('cal')] };
  assert.deepEqual(effectiveForm(form, complete), form, 'the chosen dataset and calibration come back once the kernel has them');
});

test('with no datasets the form names none, and other fields pass through unchanged', () => {
  const shown = effectiveForm({ ...form, constraint: 'disk', bits: '8' }, { datasets: [], calibrations: [] });
  assert.equal(shown.dataset, '');
  assert.equal(shown.constraint, 'disk');
  assert.equal(shown.bits, '8');
});

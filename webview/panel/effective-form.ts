/**
 * The dashboard's compress form as it applies to the kernel's state now. The saved choice is
 * kept even while the kernel has not (re)defined that dataset yet: a notebook cell defines its
 * datasets one by one, and after a window reload the first to arrive must not overwrite the
 * user's choice. The form shows and submits these effective values.
 */
import type { CompressForm, DashboardState } from '../../src/commands/dashboard-protocol';

/** The chosen dataset if the kernel has it, else its first; the chosen calibration if it exists, else the default (''). */
export function effectiveForm(form: CompressForm, state: Pick<DashboardState, 'datasets' | 'calibrations'>): CompressForm {
  const dataset = state.datasets.some((d) => d.name === form.dataset) ? form.dataset : (state.datasets[0]?.name ?? '');
  const calibration = state.calibrations.some((c) => c.name === form.calibration) ? form.calibration : '';
  return { ...form, dataset, calibration };
}

/**
 * Messages between the dashboard webview (webview/panel) and the extension. Types only: the
 * webview imports them at compile time; at run time both sides exchange plain JSON.
 */
import type { SessionSummary } from '../protocol/protocol';

export type ConstraintKind = 'accuracy' | 'disk' | 'memory';

/** What the constraint form asks the extension to run (values as typed; the extension checks them). */
export interface CompressForm {
  dataset: string;
  network: string;
  constraint: ConstraintKind;
  value: string;
  /** disk: bits per stored weight; memory: batch size. Empty for the default. */
  bits: string;
  batch: string;
  /** A calibration name of the session, or '' for the default (the session's last, else shipped). */
  calibration: string;
  epochs: string;
}

export interface ShippedCalibration {
  network: string;
  datasets: string[];
  inputSize: number;
  baseWidth: number;
  epochs: number;
  file: string;
}

export interface DashboardState {
  notebook: string | null;
  kernel: 'none' | 'running';
  datasets: SessionSummary['datasets'];
  models: SessionSummary['models'];
  calibrations: SessionSummary['calibrations'];
  /** Calibrations running now and their unfinished runs. */
  queues: SessionSummary['queues'];
  shipped: ShippedCalibration[];
  /** The compression the form started, while its cell runs, and how the last one ended. */
  /** `warnings`: what the cell warned about (a prediction outside the calibrated domain, a mismatched recipe). */
  run: { statement: string; status: 'running' | 'succeeded' | 'failed' | 'cancelled'; message?: string; warnings?: string[] } | null;
}

export type PanelToExtension = { type: 'ready' } | { type: 'refresh' } | { type: 'compress'; form: CompressForm } | { type: 'compressFolder' } | { type: 'stopRuns' };

export type ExtensionToPanel = { type: 'state'; state: DashboardState } | { type: 'formProblems'; problems: Partial<Record<keyof CompressForm, string>> };

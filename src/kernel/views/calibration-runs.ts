/**
 * The runs of a calibration that are not finished yet, as the notebook's run table and the
 * dashboard's queue view show them: waiting, running (where, and how far), or failed (why).
 */
import type { RunQueueView } from '../../protocol/protocol';
import { markdownTable } from '../../protocol/outputs';

export type RunState = RunQueueView['runs'][number];

/** Waiting runs are listed one by one up to this many open runs; beyond, only counted. */
const WAITING_ROWS_SHOWN = 12;
const STATE_ORDER = ['running', 'failed', 'waiting'];

export class UnfinishedRuns {
  private readonly states = new Map<string, Omit<RunState, 'label'>>();

  waiting(label: string): void {
    this.states.set(label, { state: 'waiting' });
  }

  /** `detail` is a progress message; the run's own label at its start is dropped. */
  running(label: string, where: string, detail?: string): void {
    this.states.set(label, { state: 'running', where, ...(detail ? { detail: detail.startsWith(label) ? detail.slice(label.length).replace(/^: /, '') : detail } : {}) });
  }

  failed(label: string, reason: string): void {
    this.states.set(label, { state: 'failed', detail: reason });
  }

  finished(label: string): void {
    this.states.delete(label);
  }

  list(): RunState[] {
    return [...this.states].map(([label, s]) => ({ label, ...s }));
  }

  /** The markdown under the finished runs' table: counts and the open runs, or '' when every run is done. */
  markdown(): string {
    const states = this.list();
    if (states.length === 0) return '';
    const count = (state: string) => states.filter((s) => s.state === state).length;
    const shown = states.filter((s) => s.state !== 'waiting' || states.length <= WAITING_ROWS_SHOWN).sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state));
    return (
      `\n\nNot finished: ${count('running')} running, ${count('waiting')} waiting, ${count('failed')} failed${count('failed') ? ' (run the statement again to retry them)' : ''}; interrupt the cell to stop every run (finished runs are kept).\n\n` +
      markdownTable(['run', 'state', 'where', 'progress'], shown.map((s) => [s.label, s.state, s.where ?? '', s.detail ?? '']))
    );
  }
}

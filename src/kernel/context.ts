/** What a statement handler gets: the session, where paths start, cancellation and an event sink. */
import type { KernelEvent } from '../protocol/protocol';
import type { Session } from './session';

export interface ExecutionContext {
  session: Session;
  /** Relative paths in a cell start here (the notebook's folder). */
  baseDir: string;
  /** Where generated data and caches go. */
  cacheDir: string;
  signal: AbortSignal;
  emit(event: KernelEvent): void;
  /** The statement says `fresh`: train even where the training cache holds the same training. */
  freshTraining?: boolean;
  /** The source text of the statement being run (for model cards). */
  statementText?: string;
}

/** Reports progress at most every `intervalMs`, plus the final step. */
export function throttledProgress(context: ExecutionContext, label: string, intervalMs = 250) {
  let last = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    if (done < total && now - last < intervalMs) return;
    last = now;
    context.emit({ type: 'progress', message: `${label} ${done}/${total}`, fraction: total > 0 ? done / total : undefined });
  };
}

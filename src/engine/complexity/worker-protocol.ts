/** Messages between the worker pool (worker-pool.ts) and a complexity worker (worker.ts). */
export interface WorkerRequest {
  taskId: number;
  /** Encoded image file bytes (transferred, not copied). */
  bytes: Uint8Array;
  /** File name for messages. */
  label: string;
  measureIds: string[];
  maxSidePx: number;
}

export type WorkerReply =
  | { taskId: number; ok: true; values: Record<string, number> }
  | { taskId: number; ok: false; decodeError: string }
  | { taskId: number; ok: false; error: string };

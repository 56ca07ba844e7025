/** What every `ccnet` subcommand is, and the error of a wrong command line (exit code 2). */
export interface Command {
  synopsis: string;
  summary: string;
  details: string;
  run(args: string[], signal: AbortSignal): Promise<number>;
}

export class UsageError extends Error {}

import { constants } from 'node:os';

/** The shell convention for "killed by signal N": 128 + N (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

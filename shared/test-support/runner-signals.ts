// For the harnesses (bench, chaos, e2e, Lighthouse): a runner starts servers, databases and
// browsers as child processes that outlive it unless it stops them — a SIGTERM from CI or a
// Ctrl-C must not leave them behind.

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface RunnerSignalOptions {
  /** Progress output (default: stderr). */
  log?: (line: string) => void;
  /** Past this the runner exits even if its cleanup hangs. Default 60 s. */
  timeoutMs?: number;
}

/**
 * On SIGINT, SIGTERM or SIGHUP: runs `cleanup` (stop every child, remove private data), then
 * exits with 128 + the signal's number. Further signals while it cleans up are ignored — a
 * terminal's Ctrl-C arrives once from the terminal and again from npm, and exiting on the
 * second would skip the cleanup — and a hard timeout bounds it instead.
 */
export function exitOnStopSignals(
  cleanup: () => Promise<unknown>,
  options: RunnerSignalOptions = {},
): void {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let stopping = false;
  const codes: Record<(typeof STOP_SIGNALS)[number], number> = {
    SIGHUP: 129,
    SIGINT: 130,
    SIGTERM: 143,
  };
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal} received: stopping every process this run started`);
      const timer = setTimeout(() => {
        log(`cleanup did not finish within ${options.timeoutMs ?? 60_000} ms; exiting`);
        process.exit(codes[signal]);
      }, options.timeoutMs ?? 60_000);
      void cleanup()
        .catch((err: unknown) => log(`cleanup failed: ${String(err)}`))
        .finally(() => {
          clearTimeout(timer);
          process.exit(codes[signal]);
        });
    });
  }
}

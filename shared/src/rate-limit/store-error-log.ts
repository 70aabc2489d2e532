/** The part of a logger the limiter uses (a pino logger fits). */
export interface RateLimitLogger {
  warn(fields: Record<string, unknown>, msg: string): void;
}

/**
 * Logs a store failure at most once per `intervalMs` for one limiter: an outage fails every
 * request, and a line per request would flood the logs at request rate. The metric hook
 * (`onStoreError`) still sees every failure.
 */
export function throttledStoreErrorLog(opts: {
  logger: RateLimitLogger | undefined;
  limiter: string;
  failOpen: boolean;
  intervalMs: number;
  now?: () => number;
}): (err: unknown) => void {
  const now = opts.now ?? Date.now;
  let lastLogged = Number.NEGATIVE_INFINITY;
  return (err) => {
    if (!opts.logger) return;
    const t = now();
    if (t - lastLogged < opts.intervalMs) return;
    lastLogged = t;
    // The message only: the error's other fields may carry the key, which is a client's IP.
    opts.logger.warn(
      {
        limiter: opts.limiter,
        failOpen: opts.failOpen,
        err: err instanceof Error ? err.message : String(err),
      },
      opts.failOpen
        ? 'rate-limit store unavailable; letting requests through'
        : 'rate-limit store unavailable; refusing requests',
    );
  };
}

import { describeCheckError } from './sanitize-error.ts';
import type { HealthCheck, HealthCheckResult } from './types.ts';

class CheckTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'CheckTimeoutError';
  }
}

/**
 * Runs one check under its timeout. The signal tells a well-behaved check to stop; the race
 * makes the answer arrive on time even from a check that ignores it (a dependency that accepts
 * the connection and never replies).
 */
export async function executeCheck(
  check: HealthCheck,
  opts: { critical: boolean; timeoutMs: number },
): Promise<HealthCheckResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new CheckTimeoutError(opts.timeoutMs);
      controller.abort(err);
      reject(err);
    }, opts.timeoutMs);
  });
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    // The async wrapper turns a synchronous throw into a rejection the race can see.
    const outcome = await Promise.race([(async () => check(controller.signal))(), timedOut]);
    const details = outcome && typeof outcome === 'object' ? outcome.details : undefined;
    return {
      status: 'ok',
      latencyMs: elapsed(),
      critical: opts.critical,
      ...(details ? { details } : {}),
    };
  } catch (err) {
    return {
      status: 'fail',
      latencyMs: elapsed(),
      critical: opts.critical,
      error: describeCheckError(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

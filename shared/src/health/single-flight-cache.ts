/**
 * Wraps an async producer so concurrent callers share one in-flight call and its result is
 * reused for `cacheMs` after it settles: a flood of probes becomes one query per window.
 * Failures are cached too (health results carry their failure inside, they do not reject).
 */
export function singleFlightCache<T>(
  produce: () => Promise<T>,
  opts: { cacheMs: number; now: () => number },
): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  let cached: { value: T; at: number } | undefined;
  return () => {
    if (cached && opts.now() - cached.at < opts.cacheMs) return Promise.resolve(cached.value);
    inFlight ??= produce()
      .then((value) => {
        cached = { value, at: opts.now() };
        return value;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

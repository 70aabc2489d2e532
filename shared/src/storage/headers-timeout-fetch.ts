/**
 * A fetch that gives up when the response headers have not arrived within `timeoutMs`, so a
 * hanging store cannot hang a health check or a job. The body is not limited: a download
 * streams for as long as data flows (undici's bodyTimeout, 300 s, still ends a stalled body).
 */
export function createHeadersTimeoutFetch(
  timeoutMs: number,
  baseFetch: typeof fetch = fetch,
): typeof fetch {
  return async (input, init = {}) => {
    const timer = new AbortController();
    const timeout = setTimeout(() => {
      timer.abort(new DOMException(`no response within ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    try {
      return await baseFetch(input, { ...init, signal });
    } finally {
      clearTimeout(timeout);
    }
  };
}

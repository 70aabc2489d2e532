/**
 * Settles with `promise`, or rejects as soon as `signal` aborts, for calls whose client takes
 * no signal. The abandoned call still ends by its own timeout.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const abortReason = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException('aborted', 'AbortError');

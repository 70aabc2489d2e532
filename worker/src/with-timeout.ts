/**
 * Settles with `work`, or rejects after `ms` naming `what`. For Redis reads on the health and
 * metrics paths and for close steps: during an outage they could otherwise wait for a reconnect
 * (a scrape, a probe or the shutdown would hang with them). A late rejection of `work` is swallowed.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  work.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

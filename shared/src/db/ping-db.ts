import type { Db } from './create-db.ts';
import { DbError, dbSecrets, toDbError } from './db-error.ts';

/** What postgres.js keeps on a pending query (not in its types). */
interface QueryInternals {
  state?: { pid?: number | null } | null;
  canceller?: ((query: unknown) => Promise<unknown>) | null;
}

/**
 * Cancels a query: one still queued for a free pool connection (no state) is dropped from the
 * queue; one running on an open connection (pid known) gets a server-side cancel request. One
 * sent on a connection still being opened (pid unknown) is left to the connect timeout: its
 * cancel request would hang on the same dead network. postgres.js's own `query.cancel()`
 * drops the promise of the cancel request, so a failed cancel would surface as an unhandled
 * rejection; calling its canceller ourselves lets us catch it.
 */
function cancelQuery(query: object): void {
  const q = query as QueryInternals;
  const cancel = q.canceller;
  if ((q.state && !q.state.pid) || typeof cancel !== 'function') return;
  q.canceller = null;
  Promise.resolve()
    .then(() => cancel(query))
    .catch(() => {});
}

function abortError(signal: AbortSignal): DbError {
  // Duck-typed: AbortSignal.timeout()'s DOMException is not an `instanceof Error` in every realm.
  const timedOut = (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
  return new DbError(
    timedOut ? 'select 1 timed out' : 'select 1 aborted',
    timedOut ? 'TIMEOUT' : 'ABORTED',
  );
}

/** `select 1` that settles as soon as `signal` aborts; every rejection is a scrubbed DbError. */
export function pingDb(sql: Db, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  const query = sql`select 1`;
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      cancelQuery(query);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    query.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(toDbError(err, 'select 1 failed', dbSecrets(sql)));
      },
    );
  });
}

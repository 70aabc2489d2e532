import type { Db } from './create-db.ts';
import { DbError } from './db-error.ts';
import type { DbLogger } from './db-logger.ts';
import { pingDb } from './ping-db.ts';

export interface WaitForDbOptions {
  /** Give up after this long (DATABASE_STARTUP_WAIT_MS). */
  timeoutMs: number;
  logger?: DbLogger;
  /** First pause between attempts (default 100 ms), doubled each time up to maxDelayMs. */
  initialDelayMs?: number;
  /** Cap of the pause between attempts (default 2000 ms). */
  maxDelayMs?: number;
}

export class DatabaseUnavailableError extends DbError {
  constructor(message: string, code?: string) {
    super(message, code);
    this.name = 'DatabaseUnavailableError';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Waiting cannot fix a wrong password (class 28) or a database that does not exist (3D000):
// fail at once with the server's reason instead of retrying until the timeout hides it.
const isPermanent = (code: string | undefined): boolean =>
  !!code && (code.startsWith('28') || code === '3D000');

/**
 * At start, waits for the database (it may still be booting, or waking from a platform's
 * sleep) with capped exponential backoff; each attempt is bounded by the time left, so a
 * hanging network cannot stretch the wait. Throws a DatabaseUnavailableError after timeoutMs,
 * or at once when the server refuses the login or the database (retrying cannot help).
 */
export async function waitForDb(sql: Db, opts: WaitForDbOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const maxDelay = opts.maxDelayMs ?? 2000;
  let delay = opts.initialDelayMs ?? 100;
  // The last attempt is often cut short by the deadline; its "timed out" would hide the reason
  // the earlier ones saw (refused, reset…).
  let lastReason: DbError | undefined;
  for (let attempt = 1; ; attempt++) {
    let last: DbError;
    try {
      await pingDb(sql, AbortSignal.timeout(Math.max(deadline - Date.now(), 1)));
      if (attempt > 1) opts.logger?.info({ attempt }, 'database reachable');
      return;
    } catch (err) {
      last = err as DbError;
      if (last.code !== 'TIMEOUT' || !lastReason) lastReason = last;
    }
    if (isPermanent(last.code))
      throw new DatabaseUnavailableError(
        `database refused the connection: ${last.message}`,
        last.code,
      );
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new DatabaseUnavailableError(
        `database not reachable within ${opts.timeoutMs} ms (${attempt} attempts; last error: ${lastReason.message})`,
        lastReason.code,
      );
    }
    const pause = Math.min(delay, left);
    opts.logger?.warn(
      { attempt, retryInMs: pause, err: { message: last.message, code: last.code } },
      'database not reachable yet; retrying',
    );
    await sleep(pause);
    delay = Math.min(delay * 2, maxDelay);
  }
}

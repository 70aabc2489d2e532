import type { Db } from './create-db.ts';
import { pingDb } from './ping-db.ts';

/**
 * Health check for the registry: `select 1`, answering by the registry's abort signal.
 * Errors carry no URL or password.
 */
export function dbCheck(sql: Db): (signal: AbortSignal) => Promise<void> {
  return (signal) => pingDb(sql, signal);
}

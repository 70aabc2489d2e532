import type postgres from 'postgres';
import type { DbLogger } from './db-logger.ts';
import { MigrationLockTimeoutError } from './migration-errors.ts';

/**
 * The session advisory lock that serializes migration runners (replicas starting together,
 * a pre-deploy step racing a MIGRATE_ON_START process). A fixed key, the same for every
 * runner of every version of this app. Session locks need a session: they do not work
 * through a transaction-mode pooler (Supabase :6543); migrate over a direct or session-mode
 * connection.
 */
export const MIGRATION_LOCK_KEY = '7261736301';

/** Takes the lock on this reserved connection, waiting at most `timeoutMs` for another runner. */
export async function acquireMigrationLock(
  conn: postgres.Sql,
  timeoutMs: number,
  logger?: DbLogger,
): Promise<void> {
  const [row] = await conn<
    { ok: boolean }[]
  >`select pg_try_advisory_lock(${MIGRATION_LOCK_KEY}::bigint) as ok`;
  if (row?.ok) return;
  logger?.info(
    { lockKey: MIGRATION_LOCK_KEY },
    'another runner is migrating; waiting for the migration lock',
  );
  // lock_timeout bounds the wait of pg_advisory_lock too; it is reset at once so the
  // migrations themselves run with the server's setting.
  await conn`select set_config('lock_timeout', ${`${timeoutMs}ms`}, false)`;
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`;
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') throw new MigrationLockTimeoutError(timeoutMs);
    throw err;
  } finally {
    await conn`reset lock_timeout`.catch(() => {});
  }
}

/** Best effort: if the connection broke, the server already dropped the session's lock. */
export async function releaseMigrationLock(conn: postgres.Sql): Promise<void> {
  await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`.catch(() => {});
}

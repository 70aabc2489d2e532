import { performance } from 'node:perf_hooks';
import type { Db } from './create-db.ts';
import type { DbLogger } from './db-logger.ts';
import { applyMigration } from './apply-migration.ts';
import { listMigrationFiles } from './migration-files.ts';
import { ensureHistoryTable, readAppliedMigrations } from './migration-history.ts';
import { acquireMigrationLock, releaseMigrationLock } from './migration-lock.ts';

export interface RunMigrationsOptions {
  /** The migrations folder (this repo: <repo>/infra/supabase/migrations). */
  dir: string;
  logger?: DbLogger;
  /** How long to wait for another runner's lock (default 5 min). */
  lockTimeoutMs?: number;
}

/**
 * Applies every migration file not yet in supabase_migrations.schema_migrations, in version
 * order, each in its own transaction with its history row. Runners are serialized by a
 * session advisory lock on one reserved connection; the first failing file is rolled back
 * and stops the run (MigrationFailedError). Needs a session: direct or session-pooler URL.
 */
export async function runMigrations(
  sql: Db,
  opts: RunMigrationsOptions,
): Promise<{ applied: string[] }> {
  const files = await listMigrationFiles(opts.dir);
  const conn = await sql.reserve();
  try {
    // Notices ("already exists, skipping") are noise for a runner; errors still surface.
    await conn`set client_min_messages = warning`;
    await acquireMigrationLock(conn, opts.lockTimeoutMs ?? 300_000, opts.logger);
    try {
      await ensureHistoryTable(conn);
      const done = new Set((await readAppliedMigrations(conn)).map((m) => m.version));
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file.version)) continue;
        const started = performance.now();
        await applyMigration(conn, file, [...applied]);
        applied.push(file.version);
        opts.logger?.info(
          {
            // Not `version`: the logger's base fields carry the service's version already, and
            // a JSON line must not hold one key twice.
            migration: file.version,
            name: file.name,
            durationMs: Math.round(performance.now() - started),
          },
          `migration applied: ${file.fileName}`,
        );
      }
      if (!applied.length)
        opts.logger?.info({ migrations: files.length }, 'migrations: database is up to date');
      return { applied };
    } finally {
      await releaseMigrationLock(conn);
    }
  } finally {
    // A file may SET session state (search_path, role…): never hand that back to the pool.
    await conn`reset all`.catch(() => {});
    conn.release();
  }
}

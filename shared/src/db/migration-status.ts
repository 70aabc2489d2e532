import type { Db } from './create-db.ts';
import { MigrationsPendingError } from './migration-errors.ts';
import { listMigrationFiles } from './migration-files.ts';
import { readAppliedMigrations } from './migration-history.ts';

export interface MigrationStatus {
  /** Versions recorded in the database, oldest first. */
  applied: string[];
  /** In the folder, not applied. */
  pending: string[];
  /** Applied, not in the folder: the database is ahead of this code. */
  unknown: string[];
}

async function compare(sql: Db, dir: string) {
  const files = await listMigrationFiles(dir);
  const applied = await readAppliedMigrations(sql);
  const onDisk = new Set(files.map((f) => f.version));
  const done = new Set(applied.map((m) => m.version));
  return {
    applied,
    pending: files.filter((f) => !done.has(f.version)),
    unknown: applied.filter((m) => !onDisk.has(m.version)),
  };
}

/** Read-only comparison of the folder with the history table (no lock, no DDL). */
export async function migrationStatus(sql: Db, opts: { dir: string }): Promise<MigrationStatus> {
  const s = await compare(sql, opts.dir);
  return {
    applied: s.applied.map((m) => m.version),
    pending: s.pending.map((f) => f.version),
    unknown: s.unknown.map((m) => m.version),
  };
}

/**
 * The startup guard: throws MigrationsPendingError (listing versions and the fix) unless every
 * migration in the folder is applied and, unless `allowUnknown`, none is applied that the folder
 * lacks. allowUnknown suits code that stays compatible with newer schemas (expand/contract)
 * and must still start during a rollback.
 */
export async function assertMigrated(
  sql: Db,
  opts: { dir: string; allowUnknown?: boolean },
): Promise<MigrationStatus> {
  const s = await compare(sql, opts.dir);
  const unknown = opts.allowUnknown ? [] : s.unknown;
  if (s.pending.length || unknown.length) throw new MigrationsPendingError(s.pending, unknown);
  return {
    applied: s.applied.map((m) => m.version),
    pending: [],
    unknown: s.unknown.map((m) => m.version),
  };
}

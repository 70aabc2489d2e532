import { verifyChecksumFile } from './checksum.ts';
import { pgConnection } from './database-url.ts';
import { findPgBinary } from './pg-binaries.ts';
import { runTool } from './run-tool.ts';

/** The backup was not restored because it failed a check; the database was not touched. */
export class BackupRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRejectedError';
  }
}

/**
 * Checks a backup before anything touches the database: the `.sha256` must match, and
 * pg_restore must be able to read the archive's table of contents.
 */
export async function checkBackup(file: string): Promise<{ sha256: string; entries: number }> {
  const verdict = await verifyChecksumFile(file);
  if (!verdict.ok) throw new BackupRejectedError(verdict.reason);
  const list = await runTool(findPgBinary('pg_restore'), ['--list', file], {});
  if (list.code !== 0) {
    throw new BackupRejectedError(`pg_restore cannot read the archive: ${list.stderr.trim()}`);
  }
  const entries = list.stdout.split('\n').filter((l) => /^\d+;/.test(l)).length;
  return { sha256: verdict.sha256, entries };
}

/**
 * Restores a checked backup into `url`: objects in the archive are dropped when they exist and
 * recreated (--clean --if-exists), owned by the connecting user (--no-owner: the source's
 * owner roles need not exist), in one transaction — a failure leaves the database as it was.
 * Grants are kept: the target needs the roles they name (the first migration creates them on
 * plain PostgreSQL; Supabase has them).
 */
export async function restoreBackup(file: string, url: string): Promise<{ target: string }> {
  const conn = pgConnection(url);
  const args = [
    '--clean',
    '--if-exists',
    '--no-owner',
    '--single-transaction',
    '--exit-on-error',
    '--no-password',
    `--dbname=${conn.dbnameArg}`,
    file,
  ];
  const result = await runTool(findPgBinary('pg_restore'), args, conn.env);
  if (result.code !== 0) {
    throw new Error(
      `pg_restore failed (exit ${result.code}) into ${conn.label}; the transaction was rolled back: ${conn.scrub(result.stderr).trim()}`,
    );
  }
  return { target: conn.label };
}

import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { backupFileName, backupPrefix } from './backup-file-name.ts';
import { sha256File, writeChecksumFile } from './checksum.ts';
import { pgConnection } from './database-url.ts';
import { findPgBinary } from './pg-binaries.ts';
import { runTool } from './run-tool.ts';

export interface CreateBackupOptions {
  url: string;
  outDir: string;
  /** Names the file; injectable so tests get distinct, known timestamps. */
  now?: Date;
  /** Dump only these schemas (pg_dump --schema); empty: the whole database. */
  schemas?: readonly string[];
}

export interface BackupResult {
  file: string;
  checksumFile: string;
  sha256: string;
  sizeBytes: number;
  /** host:port/database (no credentials). */
  source: string;
  prefix: string;
}

/**
 * pg_dump in custom format (-Fc: compressed, restorable object by object, readable by
 * pg_restore --list). Written to a hidden `.partial` file and renamed when pg_dump succeeds, so
 * a failed or interrupted dump never leaves a file that looks like a backup.
 */
export async function createBackup(options: CreateBackupOptions): Promise<BackupResult> {
  const conn = pgConnection(options.url);
  const prefix = backupPrefix(conn.database);
  const name = backupFileName(prefix, options.now ?? new Date());
  await mkdir(options.outDir, { recursive: true });
  const file = join(options.outDir, name);
  if (existsSync(file)) throw new Error(`${name} already exists: refusing to overwrite a backup`);
  const partial = join(options.outDir, `.${name}.partial`);

  const args = [
    '--format=custom',
    `--file=${partial}`,
    '--no-password',
    ...(options.schemas ?? []).map((s) => `--schema=${s}`),
    `--dbname=${conn.dbnameArg}`,
  ];
  const result = await runTool(findPgBinary('pg_dump'), args, conn.env);
  if (result.code !== 0) {
    await rm(partial, { force: true });
    throw new Error(
      `pg_dump failed (exit ${result.code}) for ${conn.label}: ${conn.scrub(result.stderr).trim()}`,
    );
  }
  await rename(partial, file);
  const sha256 = await sha256File(file);
  const checksumFile = await writeChecksumFile(file, sha256);
  const { size } = await stat(file);
  return { file, checksumFile, sha256, sizeBytes: size, source: conn.label, prefix };
}

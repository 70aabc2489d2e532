// `npm run db:restore -- FILE --yes` (or `--from-store backups/<name>.dump`): verifies the
// backup's checksum first, asks for confirmation on a terminal (refuses without --yes when
// stdin is not one), then pg_restore --clean --if-exists --no-owner in one transaction into
// DATABASE_URL or --target-url. Exit 0 restored, 1 failed, 2 usage or not confirmed,
// 3 backup rejected (checksum or archive). Runbook: docs/runbooks/restore-database.md.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backupStorage, loadBackupEnv } from './backup/backup-storage.ts';
import { confirmByTyping } from './backup/confirm.ts';
import { pgConnection, readDatabaseUrl } from './backup/database-url.ts';
import { downloadBackup } from './backup/object-store-copy.ts';
import { BackupRejectedError, checkBackup, restoreBackup } from './backup/restore-backup.ts';
import { parseRestoreArgs, RESTORE_USAGE, type RestoreOptions } from './backup/restore-options.ts';
import { UsageError } from './backup/usage-error.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (msg: string): void => console.log(`[db:restore] ${msg}`);

class NotConfirmedError extends Error {}

async function fetchSource(options: RestoreOptions, scratch: string[]): Promise<string> {
  if ('file' in options.source) return resolve(options.source.file);
  const dir = await mkdtemp(join(tmpdir(), 'db-restore-'));
  scratch.push(dir);
  const env = loadBackupEnv();
  // Reading from any bucket is allowed (old backups may be in the uploads bucket).
  const storage = backupStorage(env, options.bucket ?? env.BACKUP_BUCKET);
  try {
    log(
      `downloading ${storage.driver}://${storage.bucket}/${options.source.objectKey} (+ .sha256)`,
    );
    return await downloadBackup(storage, options.source.objectKey, dir);
  } finally {
    await storage.close();
  }
}

async function confirm(
  options: RestoreOptions,
  file: string,
  target: string,
  database: string,
): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY) {
    throw new NotConfirmedError(
      'refusing to restore without --yes: stdin is not a terminal, so nobody can confirm',
    );
  }
  const ok = await confirmByTyping(
    `About to restore ${file} into ${target}: every object in the backup is dropped and recreated.`,
    database,
  );
  if (!ok) throw new NotConfirmedError('not confirmed: nothing was changed');
}

async function main(): Promise<number> {
  const options = parseRestoreArgs(process.argv.slice(2));
  if (options.help) {
    console.log(RESTORE_USAGE);
    return 0;
  }
  // .env first: the object store's variables (--from-store) may live there too.
  const envUrl = readDatabaseUrl(root);
  const url = options.targetUrl ?? envUrl;
  if (!url) throw new UsageError('DATABASE_URL is not set and no --target-url was given');
  const conn = pgConnection(url);

  const scratch: string[] = [];
  try {
    const file = await fetchSource(options, scratch);
    const checked = await checkBackup(file);
    log(`checksum ok (sha256 ${checked.sha256}), archive readable (${checked.entries} entries)`);
    await confirm(options, file, conn.label, conn.database);
    log(`restoring into ${conn.label} …`);
    const { target } = await restoreBackup(file, url);
    log(`restored ${file} into ${target}`);
    return 0;
  } finally {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof UsageError) {
    console.error(`[db:restore] ${message}\n\n${RESTORE_USAGE}`);
    process.exitCode = 2;
  } else if (err instanceof NotConfirmedError) {
    console.error(`[db:restore] ${message}`);
    process.exitCode = 2;
  } else if (err instanceof BackupRejectedError) {
    console.error(`[db:restore] refused: ${message}. The database was not touched.`);
    process.exitCode = 3;
  } else {
    console.error(`[db:restore] failed: ${message}`);
    process.exitCode = 1;
  }
}

// `npm run db:backup -- [--out DIR] [--upload] [--keep-daily N --keep-weekly M]`: pg_dump of
// DATABASE_URL in custom format, with a .sha256 beside it, optionally uploaded to the object
// store, then local retention. Exit 0 done, 1 failed, 2 usage. Never prints the password.
// Runbook: docs/runbooks/restore-database.md.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBackupArgs, BACKUP_USAGE } from './backup/backup-options.ts';
import {
  BackupBucketRefusedError,
  backupUploadBucket,
  sharesUploadsBucket,
} from './backup/backup-env.ts';
import { backupStorage, loadBackupEnv } from './backup/backup-storage.ts';
import { createBackup } from './backup/create-backup.ts';
import { readDatabaseUrl } from './backup/database-url.ts';
import { formatBytes } from './backup/format-bytes.ts';
import { uploadBackup } from './backup/object-store-copy.ts';
import { applyRetention } from './backup/retention.ts';
import { UsageError } from './backup/usage-error.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (msg: string): void => console.log(`[db:backup] ${msg}`);
const shown = (path: string): string =>
  path.startsWith(root) ? relative(process.cwd(), path) || path : path;

async function main(): Promise<number> {
  const options = parseBackupArgs(process.argv.slice(2), `${root}.local/backups`);
  if (options.help) {
    console.log(BACKUP_USAGE);
    return 0;
  }
  const url = readDatabaseUrl(root);
  if (!url)
    throw new UsageError('DATABASE_URL is not set: export it, or copy .env.example to .env');
  // Decided before the dump: a refused bucket should not cost a pg_dump first.
  let upload: { env: ReturnType<typeof loadBackupEnv>; bucket: string } | undefined;
  if (options.upload) {
    const env = loadBackupEnv();
    const bucket = backupUploadBucket(env, options.bucket);
    if (sharesUploadsBucket(env, bucket))
      log(
        `warning: uploading into the uploads bucket "${bucket}" (STORAGE_BUCKET); production refuses this, set BACKUP_BUCKET`,
      );
    upload = { env, bucket };
  }

  const backup = await createBackup({ url, outDir: options.outDir, schemas: options.schemas });
  log(
    `dumped ${backup.source} → ${shown(backup.file)} (${formatBytes(backup.sizeBytes)}, sha256 ${backup.sha256})`,
  );

  if (upload) {
    const storage = backupStorage(upload.env, upload.bucket);
    try {
      const { key, checksumKey } = await uploadBackup(storage, backup.file);
      log(`uploaded to ${storage.driver}://${storage.bucket}/${key} (+ ${checksumKey})`);
    } finally {
      await storage.close();
    }
  }

  if (options.retention) {
    const { keepDaily, keepWeekly } = options.retention;
    const plan = await applyRetention(options.outDir, backup.prefix, options.retention);
    log(
      `retention (${keepDaily} daily, ${keepWeekly} weekly): kept ${plan.keep.length}, deleted ${plan.remove.length}` +
        (plan.remove.length ? `: ${plan.remove.map((b) => b.name).join(', ')}` : ''),
    );
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof BackupBucketRefusedError) {
    console.error(`[db:backup] ${err.message}`);
    process.exitCode = 2;
  } else if (err instanceof UsageError) {
    console.error(`[db:backup] ${err.message}\n\n${BACKUP_USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`[db:backup] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

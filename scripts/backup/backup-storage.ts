import { createStorageFromEnv, type ObjectStorage } from '@saas/shared/storage';
import { backupConfig, type BackupEnv } from './backup-env.ts';

/** The backup scripts' variables (storage driver and credentials, BACKUP_BUCKET), validated. */
export const loadBackupEnv = (): BackupEnv =>
  backupConfig.load({ envFile: false, exampleFile: false });

/**
 * The object store from the same variables the API and the worker read (STORAGE_DRIVER,
 * S3_* or SUPABASE_*), on the backups' own bucket (backup-env.ts decides which). The signed
 * URLs are used from this machine: S3_PUBLIC_ENDPOINT (an address for browsers) is ignored.
 */
export function backupStorage(env: BackupEnv, bucket: string): ObjectStorage {
  return createStorageFromEnv({ ...env, S3_PUBLIC_ENDPOINT: undefined, STORAGE_BUCKET: bucket });
}

import { defineConfig } from '@saas/shared/config';
import { createStorageFromEnv, storageEnv, type ObjectStorage } from '@saas/shared/storage';

const storageConfig = defineConfig({ shape: storageEnv });

/**
 * The object store from the same variables the API and the worker read (STORAGE_DRIVER,
 * S3_* or SUPABASE_*), with an optional bucket override so backups can live apart from the
 * users' uploads. The signed URLs are used from this machine: S3_PUBLIC_ENDPOINT (an address
 * for browsers) is ignored.
 */
export function backupStorage(bucket?: string): ObjectStorage {
  const env = storageConfig.load({ envFile: false, exampleFile: false });
  return createStorageFromEnv({
    ...env,
    S3_PUBLIC_ENDPOINT: undefined,
    ...(bucket ? { STORAGE_BUCKET: bucket } : {}),
  });
}

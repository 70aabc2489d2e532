import { z } from 'zod';
import { baseEnv, defineConfig } from '@saas/shared/config';
import { storageEnv } from '@saas/shared/storage';

// What `npm run db:backup` / `db:restore` read besides DATABASE_URL: the same storage variables
// as the api and the worker (driver, credentials), and where backups go.
/** The backup scripts' own variables (docs/env.md lists these under db:backup). */
export const backupEnv = {
  BACKUP_BUCKET: z.string().min(3).max(63).default('backups').meta({
    description:
      'Bucket for db:backup --upload and db:restore --from-store. Keep it apart from STORAGE_BUCKET: a database dump in the users’ bucket is one leaked key away from every row. Give it a bucket policy that the api’s and worker’s credentials cannot read.',
  }),
  BACKUP_ALLOW_UPLOADS_BUCKET: z.stringbool().default(false).meta({
    description:
      'true lets db:backup upload into STORAGE_BUCKET (the users’ uploads) with NODE_ENV=production. Leave it false: production refuses that bucket for backups otherwise.',
  }),
};

export const backupConfig = defineConfig({
  shape: { NODE_ENV: baseEnv.NODE_ENV, ...storageEnv, ...backupEnv },
});
export type BackupEnv = z.output<typeof backupConfig.schema>;

/** Backups in the uploads bucket with NODE_ENV=production, not explicitly allowed. */
export class BackupBucketRefusedError extends Error {
  constructor(bucket: string) {
    super(
      `refusing to upload a database backup into the uploads bucket "${bucket}" (STORAGE_BUCKET) ` +
        'with NODE_ENV=production: anyone who can read that bucket could read every row. Set ' +
        'BACKUP_BUCKET to a bucket of its own (or set BACKUP_ALLOW_UPLOADS_BUCKET=true to accept the risk)',
    );
    this.name = 'BackupBucketRefusedError';
  }
}

/**
 * The bucket a backup goes to: --bucket, else BACKUP_BUCKET. In production the uploads bucket
 * is refused unless BACKUP_ALLOW_UPLOADS_BUCKET=true; elsewhere it is allowed (a warning is the
 * caller's to print, see `sharesUploadsBucket`).
 */
export function backupUploadBucket(env: BackupEnv, cliBucket?: string): string {
  const bucket = cliBucket ?? env.BACKUP_BUCKET;
  if (
    bucket === env.STORAGE_BUCKET &&
    env.NODE_ENV === 'production' &&
    !env.BACKUP_ALLOW_UPLOADS_BUCKET
  )
    throw new BackupBucketRefusedError(bucket);
  return bucket;
}

/** True when backups would share the bucket the users' uploads live in. */
export const sharesUploadsBucket = (env: BackupEnv, bucket: string): boolean =>
  bucket === env.STORAGE_BUCKET;

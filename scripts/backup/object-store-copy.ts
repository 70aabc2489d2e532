import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ObjectStorage } from '@saas/shared/storage';
import { checksumPath } from './checksum.ts';
import { putFile } from './put-file.ts';

/** Object keys of backups: `backups/<file name>` (keep the prefix out of the uploads' keys). */
export const BACKUP_KEY_PREFIX = 'backups';

const UPLOAD_URL_TTL_S = 3600;

async function uploadOne(
  storage: ObjectStorage,
  file: string,
  key: string,
  contentType: string,
): Promise<void> {
  const { size } = await stat(file);
  const target = await storage.createUploadUrl(key, {
    contentType,
    size,
    expiresInS: UPLOAD_URL_TTL_S,
  });
  await putFile(target.url, target.headers, file);
  const head = await storage.head(key);
  if (!head || head.size !== size) {
    throw new Error(
      `uploaded ${key} but the store reports ${head ? `${head.size} bytes` : 'no object'}, expected ${size}`,
    );
  }
}

/**
 * Uploads a backup and its `.sha256` through the ObjectStorage port (signed PUT URLs, so it
 * works with the S3 and the Supabase adapters alike), the checksum last: a reader that finds
 * the checksum object knows the dump beside it is complete. Retention in the bucket is the
 * store's lifecycle rules' job (docs/runbooks/restore-database.md).
 */
export async function uploadBackup(
  storage: ObjectStorage,
  file: string,
): Promise<{ key: string; checksumKey: string }> {
  const key = `${BACKUP_KEY_PREFIX}/${basename(file)}`;
  const checksumKey = `${key}.sha256`;
  await uploadOne(storage, file, key, 'application/octet-stream');
  await uploadOne(storage, checksumPath(file), checksumKey, 'text/plain');
  return { key, checksumKey };
}

/** Downloads `key` and `key.sha256` into `dir`; returns the local backup path (not yet verified). */
export async function downloadBackup(
  storage: ObjectStorage,
  key: string,
  dir: string,
): Promise<string> {
  const file = join(dir, basename(key));
  await pipeline(await storage.getStream(key), createWriteStream(file));
  await pipeline(await storage.getStream(`${key}.sha256`), createWriteStream(checksumPath(file)));
  return file;
}

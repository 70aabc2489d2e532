import { uploadObjectKeys } from '@saas/shared/contracts';
import { cleanupUploadsPayload, JOBS, type CleanupUploadsPayload } from '@saas/shared/queue';
import type { ObjectStorage } from '@saas/shared/storage';
import type { UploadRows } from '../uploads/upload-rows.ts';
import { defineJobHandler, type JobHandler } from './job-handler.ts';

export interface CleanupUploadsDeps {
  rows: UploadRows;
  storage: ObjectStorage;
}

/**
 * cleanup-uploads: removes uploads left `pending` past `expires_at` (the client never
 * completed them), object first, then row. In that order a crash in between leaves an expired
 * row whose object is already gone, and the next run deletes both again (object deletes are
 * idempotent); the reverse order would leave an object no row points to.
 * The API refuses to complete an expired upload, so a row cannot turn `uploaded` under us;
 * the row delete still re-checks status and expiry.
 */
export function createCleanupUploads(deps: CleanupUploadsDeps): JobHandler<unknown> {
  const handler: JobHandler<CleanupUploadsPayload> = {
    name: JOBS.cleanupUploads,
    payload: cleanupUploadsPayload,

    async run({ batchSize }, ctx) {
      const expired = await deps.rows.listExpiredPending(batchSize);
      const cleared: string[] = [];
      let objectErrors = 0;
      for (const upload of expired) {
        try {
          // Both keys, derived from the ids: a pending row has no verified copy unless a
          // processing run was interrupted after copying; deleting a missing key is a no-op.
          const keys = uploadObjectKeys(upload.ownerId, upload.id);
          await deps.storage.delete(keys.incoming);
          await deps.storage.delete(keys.verified);
          cleared.push(upload.id);
        } catch (err) {
          // One unreachable object must not block the others; its row stays for the next run.
          objectErrors++;
          ctx.logger.warn(
            { uploadId: upload.id, err },
            'expired upload: object delete failed; row kept for the next run',
          );
        }
      }
      const deleted = await deps.rows.deleteExpiredPending(cleared);
      ctx.logger.info(
        {
          expired: expired.length,
          deleted: deleted.length,
          objectErrors,
          more: expired.length === batchSize,
        },
        'expired pending uploads removed',
      );
      if (objectErrors > 0 && deleted.length === 0) {
        throw new Error(`could not delete any of ${objectErrors} expired objects`);
      }
      return { expired: expired.length, deleted: deleted.length, objectErrors };
    },
  };
  return defineJobHandler(handler);
}

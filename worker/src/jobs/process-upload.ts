import { UnrecoverableError } from 'bullmq';
import { uploadObjectKeys, type UploadObjectKeys } from '@saas/shared/contracts';
import type { Logger } from '@saas/shared/logger';
import {
  JOBS,
  PROCESS_UPLOAD_VERSION,
  processUploadJob,
  type ProcessUploadPayload,
} from '@saas/shared/queue';
import { isStorageNotFound, type ObjectStorage } from '@saas/shared/storage';
import { classifyUpload } from '../uploads/classify-upload.ts';
import { inspectStream, ObjectTooLargeError } from '../uploads/inspect-stream.ts';
import { readBufferRelease } from '../uploads/read-buffer-release.ts';
import { FINISHED_STATUSES, type UploadRows } from '../uploads/upload-rows.ts';
import { defineJobHandler, type JobHandler } from './job-handler.ts';

export interface ProcessUploadDeps {
  rows: UploadRows;
  storage: ObjectStorage;
  /** UPLOAD_ALLOWED_TYPES, lower-case. */
  allowedTypes: readonly string[];
}

/** The sentence the uploader sees on a row the job gave up on. */
export function failureReason(error: Error, attemptsMade: number): string {
  const tries = attemptsMade === 1 ? '1 attempt' : `${attemptsMade} attempts`;
  if (isStorageNotFound(error))
    return `The uploaded file was not found in storage (after ${tries}).`;
  if (error.name === 'StorageError')
    return `The file could not be read from storage (after ${tries}); please upload it again.`;
  if (error.message.includes('stalled'))
    return 'Processing was interrupted too many times; please upload the file again.';
  return `The file could not be processed (after ${tries}); please upload it again.`;
}

/**
 * failureReason for a job found in BullMQ's failed set after the fact (the reconcile sweep):
 * there is no Error object any more, only what BullMQ kept — the message (`failedReason`) and
 * the stack traces, whose first line names the error class (`StorageError: …`). The text is
 * the give-up hook's for the same error, with one loss: a StorageError's `notFound` flag is
 * not kept, so an object that was missing reads as the general storage sentence
 * ("could not be read from storage … please upload it again"), which is still true.
 */
export function recordedFailureReason(job: {
  failedReason?: string | null;
  stacktrace?: readonly string[] | null;
  attemptsMade: number;
}): string {
  const error = new Error(job.failedReason ?? '');
  const name = /^([A-Za-z_$][\w$]*):/.exec(job.stacktrace?.at(-1) ?? '')?.[1];
  if (name) error.name = name;
  return failureReason(error, job.attemptsMade);
}

/**
 * process-upload: copies the object the client uploaded (the `incoming` key, which the client
 * can still PUT to while its signed URL lives) server-side to the `verified` key no client was
 * ever given a URL for, streams that copy once (SHA-256, size and the first bytes for
 * sniffing), then moves the row uploaded → ready (and deletes the incoming object) or
 * uploaded → rejected (and deletes both). Downloads are signed for the verified key only, so
 * what a user downloads is always the bytes hashed here: new bytes PUT to the incoming key
 * before the copy are what gets hashed, after it they are never served. Keys are derived from
 * (owner id, upload id), never read from the row.
 *
 * Idempotent: every write is conditional on status = 'uploaded', and a row that is already
 * finished is reported as such without a change (a rejected row's object is deleted again,
 * which is a no-op once it is gone). Errors: a missing row or a bad payload cannot be fixed
 * by a retry (UnrecoverableError); storage and database errors are retried with backoff, a
 * missing object too (stores with read-after-write lag); when the job gives up the row says
 * `failed` with a reason the uploader can read.
 */
export function createProcessUpload(deps: ProcessUploadDeps): JobHandler<unknown> {
  const handler: JobHandler<ProcessUploadPayload> = {
    name: JOBS.processUpload,
    // Tolerant of fields a newer API adds (optional by the evolution rule); versions above
    // PROCESS_UPLOAD_VERSION are left for a newer worker before this runs.
    payload: processUploadJob,
    version: PROCESS_UPLOAD_VERSION,

    async run({ uploadId }, ctx) {
      const row = await deps.rows.find(uploadId);
      if (!row)
        throw new UnrecoverableError(
          'upload row not found (deleted, or enqueued against another database)',
        );
      const keys = uploadObjectKeys(row.ownerId, row.id);
      if (FINISHED_STATUSES.includes(row.status)) {
        if (row.status === 'rejected') await deleteBoth(keys);
        ctx.logger.info(
          { uploadId, status: row.status },
          'upload already finished; nothing to change',
        );
        return { uploadId, outcome: 'already-finished', status: row.status };
      }
      // `pending` here means the API rolled back its `complete` after enqueueing; a retry finds
      // the row `uploaded` once the client completes again (the job id is the same).
      if (row.status !== 'uploaded') throw new Error(`upload is ${row.status}, not uploaded yet`);

      // Copy first, then hash the copy: hashing the incoming object and copying it afterwards
      // would let a PUT land in between and put unchecked bytes behind a `ready` row.
      await deps.storage.copy(keys.incoming, keys.verified);
      let inspection;
      try {
        const body = await deps.storage.getStream(
          keys.verified,
          ctx.signal ? { signal: ctx.signal } : {},
        );
        // A declared size bounds the read: an object replaced by something larger is not hashed to the end.
        inspection = await inspectStream(body, {
          ...(row.sizeBytes === null ? {} : { maxBytes: row.sizeBytes }),
          // Hashed chunks are garbage at once: free them as we go, not 64 MiB later.
          onChunk: readBufferRelease(),
        });
      } catch (err) {
        if (!(err instanceof ObjectTooLargeError)) throw err;
        const reason = `The file is larger than the ${err.limit} bytes declared.`;
        return finishRejected(uploadId, keys, { reason, sha256: null, detectedType: null }, ctx);
      }

      const verdict = await classifyUpload({
        head: inspection.head,
        size: inspection.size,
        declaredType: row.contentType,
        declaredSize: row.sizeBytes,
        allowedTypes: deps.allowedTypes,
      });
      if (verdict.status === 'rejected') {
        return finishRejected(
          uploadId,
          keys,
          { reason: verdict.reason, sha256: inspection.sha256, detectedType: verdict.detectedType },
          ctx,
        );
      }
      const changed = await deps.rows.markReady(uploadId, {
        sha256: inspection.sha256,
        detectedType: verdict.detectedType,
        size: inspection.size,
      });
      // After the row: the incoming object is no longer needed (a crash here leaves it for the
      // delete route; it is never served). A client may PUT it again while its URL lives.
      if (changed) await deps.storage.delete(keys.incoming);
      ctx.logger.info(
        { uploadId, detectedType: verdict.detectedType, size: inspection.size, changed },
        changed ? 'upload marked ready' : 'upload finished concurrently; nothing to change',
      );
      return {
        uploadId,
        outcome: changed ? 'ready' : 'already-finished',
        sha256: inspection.sha256,
      };
    },

    async onGaveUp({ uploadId }, ctx) {
      const changed = await deps.rows.markFailed(
        uploadId,
        failureReason(ctx.error, ctx.attemptsMade),
      );
      ctx.logger.warn(
        { uploadId, changed },
        changed ? 'upload marked failed' : 'upload not marked failed: no longer uploaded',
      );
    },
  };

  async function deleteBoth(keys: UploadObjectKeys): Promise<void> {
    await deps.storage.delete(keys.verified);
    await deps.storage.delete(keys.incoming);
  }

  async function finishRejected(
    uploadId: string,
    keys: UploadObjectKeys,
    v: { reason: string; sha256: string | null; detectedType: string | null },
    ctx: { logger: Logger },
  ): Promise<Record<string, unknown>> {
    const changed = await deps.rows.markRejected(uploadId, v);
    // After the row: a crash in between leaves a rejected row whose objects the re-run deletes.
    await deleteBoth(keys);
    ctx.logger.info(
      { uploadId, detectedType: v.detectedType, reason: v.reason, changed },
      changed
        ? 'upload rejected; objects deleted'
        : 'upload finished concurrently; objects deleted',
    );
    return { uploadId, outcome: changed ? 'rejected' : 'already-finished' };
  }

  return defineJobHandler(handler);
}

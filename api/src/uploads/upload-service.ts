import { randomUUID } from 'node:crypto';
import type { Logger } from '@saas/shared/logger';
import {
  uploadObjectKeys,
  type CreateUploadRequest,
  type CreateUploadResponse,
  type DownloadUploadResponse,
  type FieldError,
  type ListUploadsResponse,
  type Upload,
  type UploadLimits,
} from '@saas/shared/contracts';
import type { ObjectStorage } from '@saas/shared/storage';
import type { ApiMetrics } from '../metrics.ts';
import { decodeCursor, encodeCursor } from './list-cursor.ts';
import type { UploadRecord, UploadRepository } from './repository.ts';
import { UploadError } from './upload-errors.ts';
import { toUploadView } from './upload-view.ts';

/** The queue as the service sees it: one idempotent call (jobId = upload id). */
export interface ProcessUploadJobs {
  /** False when the queue's connection is down: answer 503 without touching the row. */
  isAvailable(): boolean;
  enqueue(payload: { uploadId: string; requestId: string }): Promise<void>;
}

export interface UploadServiceDeps {
  repo: UploadRepository;
  storage: ObjectStorage;
  jobs: ProcessUploadJobs;
  limits: UploadLimits;
  uploadUrlTtlS: number;
  downloadUrlTtlS: number;
  pendingTtlS: number;
  metrics: Pick<ApiMetrics, 'uploadsCreated' | 'uploadsCompleted'>;
  logger: Logger;
}

/** The media type without parameters, lower-case: `Image/PNG; x=y` → `image/png`. */
const mediaType = (value: string): string => value.split(';')[0]!.trim().toLowerCase();

/**
 * The rules of the uploads feature. The API hands out signed URLs and never carries the bytes;
 * the worker processes them once `complete` has verified the object and enqueued the job.
 */
export function createUploadService(deps: UploadServiceDeps) {
  const { repo, storage, jobs } = deps;
  // Object keys come from uploadObjectKeys(owner, id) only, never from row.object_key: a row may
  // have been changed by someone else (see the function's comment).
  const keysOf = (row: UploadRecord) => uploadObjectKeys(row.ownerId, row.id);

  // Supabase's signed upload URLs bind neither type nor size: before the first one is signed,
  // the bucket is told to refuse them itself (a no-op for S3). Once per process; a failure is
  // retried by the next create, and no URL is handed out until it succeeded.
  let policyApplied: Promise<void> | undefined;
  const ensureUploadPolicy = (): Promise<void> => {
    policyApplied ??= storage
      .applyUploadPolicy({ allowedTypes: deps.limits.allowedTypes, maxBytes: deps.limits.maxBytes })
      .catch((err: unknown) => {
        policyApplied = undefined;
        throw err;
      });
    return policyApplied;
  };

  const owned = async (ownerId: string, id: string): Promise<UploadRecord> => {
    const row = await repo.findOwned(ownerId, id);
    if (!row) throw new UploadError('not_found', 'No such upload.');
    return row;
  };

  const enqueue = async (row: UploadRecord, requestId: string): Promise<void> => {
    try {
      await jobs.enqueue({ uploadId: row.id, requestId });
    } catch (err) {
      throw new UploadError(
        'queue_unavailable',
        'The processing queue is unavailable; retry shortly.',
        { cause: err },
      );
    }
  };

  return {
    limits: (): UploadLimits => deps.limits,

    async create(
      ownerId: string,
      input: CreateUploadRequest,
      requestId: string,
    ): Promise<CreateUploadResponse> {
      const fieldErrors: FieldError[] = [];
      if (!deps.limits.allowedTypes.includes(input.contentType)) {
        fieldErrors.push({
          location: 'body',
          path: 'contentType',
          message: `type not allowed; allowed: ${deps.limits.allowedTypes.join(', ')}`,
          code: 'type_not_allowed',
        });
      }
      if (input.size > deps.limits.maxBytes) {
        fieldErrors.push({
          location: 'body',
          path: 'size',
          message: `larger than the limit of ${deps.limits.maxBytes} bytes`,
          code: 'too_large',
        });
      }
      if (fieldErrors.length > 0)
        throw new UploadError('policy', 'The file is not accepted.', { fieldErrors });

      await ensureUploadPolicy();
      const id = randomUUID();
      const objectKey = uploadObjectKeys(ownerId, id).incoming;
      // Row first: if signing fails, the pending row expires and the cleanup job removes it.
      await repo.insert({
        id,
        ownerId,
        objectKey,
        filename: input.filename,
        contentType: input.contentType,
        size: input.size,
        requestId,
        expiresAt: new Date(Date.now() + deps.pendingTtlS * 1000),
      });
      const signed = await storage.createUploadUrl(objectKey, {
        contentType: input.contentType,
        size: input.size,
        expiresInS: deps.uploadUrlTtlS,
      });
      deps.metrics.uploadsCreated.inc();
      return {
        id,
        uploadUrl: signed.url,
        method: signed.method,
        headers: signed.headers,
        expiresAt: signed.expiresAt.toISOString(),
      };
    },

    /**
     * Verifies the object and hands it to the worker. Order: mark `uploaded`, then enqueue, and
     * undo the mark if the enqueue fails — so the worker never receives a job for a row that is
     * still `pending` (enqueue-then-mark would let a fast worker see `pending`), and a queue
     * outage leaves the row as it was. Idempotent: jobId = upload id, and a row already
     * `uploaded` is enqueued again (a no-op while the job exists; heals a lost job otherwise).
     */
    async complete(ownerId: string, id: string, requestId: string): Promise<Upload> {
      const row = await owned(ownerId, id);
      if (row.status === 'ready' || row.status === 'rejected' || row.status === 'failed')
        return toUploadView(row);
      if (row.status === 'uploaded') {
        await enqueue(row, requestId);
        return toUploadView(row);
      }
      if (row.expiresAt.getTime() < Date.now())
        throw new UploadError('expired', 'The upload expired; create a new one.');
      const info = await storage.head(keysOf(row).incoming);
      if (!info)
        throw new UploadError(
          'not_uploaded',
          'No object was uploaded yet; PUT the bytes to the upload URL first.',
        );
      if (row.size !== null && info.size !== row.size) {
        throw new UploadError(
          'size_mismatch',
          `The stored object has ${info.size} bytes, ${row.size} were announced.`,
        );
      }
      // S3 binds the type into the signature; Supabase's signed URL does not, and a store that
      // does not check signatures (s3rver) neither: compare what was stored with what was
      // announced. The worker still sniffs the bytes; this is the cheap early refusal.
      if (
        row.contentType !== null &&
        info.contentType !== undefined &&
        mediaType(info.contentType) !== mediaType(row.contentType)
      ) {
        throw new UploadError(
          'type_mismatch',
          `The stored object is ${mediaType(info.contentType)}, ${row.contentType} was announced.`,
        );
      }
      if (!jobs.isAvailable()) {
        throw new UploadError(
          'queue_unavailable',
          'The processing queue is unavailable; retry shortly.',
        );
      }
      const marked = await repo.markUploaded(ownerId, id);
      if (!marked) return this.complete(ownerId, id, requestId);
      try {
        await enqueue(marked, requestId);
      } catch (err) {
        try {
          await repo.revertToPending(row);
        } catch (revertErr) {
          // The row says uploaded without a job: the next complete call enqueues it.
          deps.logger.error(
            { uploadId: id, err: (revertErr as Error).message },
            'could not revert upload to pending',
          );
        }
        throw err;
      }
      deps.metrics.uploadsCompleted.inc();
      return toUploadView(marked);
    },

    async get(ownerId: string, id: string): Promise<Upload> {
      return toUploadView(await owned(ownerId, id));
    },

    async list(
      ownerId: string,
      q: { limit: number; cursor?: string | undefined },
    ): Promise<ListUploadsResponse> {
      let after: { ts: string; id: string } | undefined;
      if (q.cursor !== undefined) {
        after = decodeCursor(q.cursor);
        if (!after) {
          throw new UploadError('invalid_input', 'Invalid cursor.', {
            fieldErrors: [
              {
                location: 'query',
                path: 'cursor',
                message: 'not a cursor from a previous page',
                code: 'invalid_cursor',
              },
            ],
          });
        }
      }
      const rows = await repo.listOwned(ownerId, {
        limit: q.limit + 1,
        ...(after ? { after } : {}),
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map(toUploadView),
        nextCursor:
          rows.length > q.limit && last ? encodeCursor({ ts: last.cursorTs, id: last.id }) : null,
      };
    },

    async download(ownerId: string, id: string): Promise<DownloadUploadResponse> {
      const row = await owned(ownerId, id);
      if (row.status !== 'ready')
        throw new UploadError(
          'not_ready',
          `The upload is ${row.status}; downloads open once it is ready.`,
        );
      // Only the worker's verified copy is ever served: the client can still PUT to the key it
      // uploaded to, so that object holds whatever it last sent.
      const signed = await storage.createDownloadUrl(keysOf(row).verified, {
        expiresInS: deps.downloadUrlTtlS,
        ...(row.filename ? { filename: row.filename } : {}),
      });
      return { url: signed.url, expiresAt: signed.expiresAt.toISOString() };
    },

    /** Objects first: if the store fails, the row stays and the delete can be retried. */
    async remove(ownerId: string, id: string): Promise<void> {
      const row = await owned(ownerId, id);
      const keys = keysOf(row);
      await storage.delete(keys.verified);
      await storage.delete(keys.incoming);
      await repo.deleteOwned(ownerId, id);
    },
  };
}

export type UploadService = ReturnType<typeof createUploadService>;

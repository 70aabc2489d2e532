import { randomUUID } from 'node:crypto';
import type { Logger } from '@saas/shared/logger';
import type {
  CreateUploadRequest,
  CreateUploadResponse,
  DownloadUploadResponse,
  FieldError,
  ListUploadsResponse,
  Upload,
  UploadLimits,
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

/** Object keys never contain the user's file name: ids only, scoped by owner. */
export const objectKeyFor = (ownerId: string, uploadId: string): string =>
  `uploads/${ownerId}/${uploadId}`;

/**
 * The rules of the uploads feature. The API hands out signed URLs and never carries the bytes;
 * the worker processes them once `complete` has verified the object and enqueued the job.
 */
export function createUploadService(deps: UploadServiceDeps) {
  const { repo, storage, jobs } = deps;

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

      const id = randomUUID();
      const objectKey = objectKeyFor(ownerId, id);
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
      const info = await storage.head(row.objectKey);
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
      const signed = await storage.createDownloadUrl(row.objectKey, {
        expiresInS: deps.downloadUrlTtlS,
        ...(row.filename ? { filename: row.filename } : {}),
      });
      return { url: signed.url, expiresAt: signed.expiresAt.toISOString() };
    },

    /** Object first: if the store fails, the row stays and the delete can be retried. */
    async remove(ownerId: string, id: string): Promise<void> {
      const row = await owned(ownerId, id);
      await storage.delete(row.objectKey);
      await repo.deleteOwned(ownerId, id);
    },
  };
}

export type UploadService = ReturnType<typeof createUploadService>;

import type { Redis } from 'ioredis';
import { enqueueProcessUpload, type UploadsQueue } from '@saas/shared/queue';
import type { ProcessUploadJobs } from './upload-service.ts';

/**
 * The service's queue port on BullMQ. The producer connection has no offline queue, so add()
 * fails at once while Redis is down; the timeout covers a Redis that accepts and never answers.
 */
export function bullmqUploadJobs(
  queue: UploadsQueue,
  connection: Pick<Redis, 'status'>,
  timeoutMs = 3000,
): ProcessUploadJobs {
  return {
    isAvailable: () => connection.status === 'ready',
    async enqueue(payload) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          enqueueProcessUpload(queue, payload),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`enqueue timed out after ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

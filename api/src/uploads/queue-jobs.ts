import type { Redis } from 'ioredis';
import {
  enqueueProcessUpload,
  QUEUES,
  type ProcessUploadPayload,
  type UploadsQueue,
} from '@saas/shared/queue';
import { currentTraceparent, SpanKind, withSpan, type Tracer } from '@saas/shared/tracing';
import type { ProcessUploadJobs } from './upload-service.ts';

/**
 * The service's queue port on BullMQ. The producer connection has no offline queue, so add()
 * fails at once while Redis is down; the timeout covers a Redis that accepts and never answers.
 * With a tracer (tracing on) the add runs in a PRODUCER span whose `traceparent` travels in
 * the job next to its ids, so the worker's job span joins the request's trace.
 */
export function bullmqUploadJobs(
  queue: UploadsQueue,
  connection: Pick<Redis, 'status'>,
  timeoutMs = 3000,
  tracer?: Tracer,
): ProcessUploadJobs {
  const addWithTimeout = async (data: ProcessUploadPayload): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        enqueueProcessUpload(queue, data),
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
  };
  return {
    isAvailable: () => connection.status === 'ready',
    async enqueue(payload) {
      if (!tracer) return addWithTimeout(payload);
      await withSpan(
        tracer,
        `send ${QUEUES.uploads}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'bullmq',
            'messaging.operation.type': 'send',
            'messaging.destination.name': QUEUES.uploads,
            'messaging.message.id': payload.uploadId,
          },
        },
        async () => {
          const traceparent = currentTraceparent();
          await addWithTimeout(traceparent ? { ...payload, traceparent } : payload);
        },
      );
    },
  };
}

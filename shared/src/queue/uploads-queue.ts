import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { defaultJobOptions } from './job-options.ts';
import { JOBS, QUEUES } from './names.ts';
import {
  PROCESS_UPLOAD_VERSION,
  processUploadPayload,
  type ProcessUploadPayload,
} from './payloads.ts';

export interface QueueFactoryOptions {
  /** BullMQ key prefix (QUEUE_PREFIX); every process of one deployment must use the same. */
  prefix: string;
  /** Merged over `defaultJobOptions` (e.g. fewer attempts and a short backoff in tests). */
  jobOptions?: DefaultJobOptions;
}

export type UploadsQueue = Queue<ProcessUploadPayload, unknown, typeof JOBS.processUpload>;

/**
 * The producer side of the uploads queue. Pass a producer connection
 * (`createRedis(url, {role: 'producer'})`: no offline queue, so `add()` fails fast while Redis
 * is away and the API can answer 503 instead of hanging).
 */
export function createUploadsQueue(
  connection: ConnectionOptions,
  opts: QueueFactoryOptions,
): UploadsQueue {
  return new Queue<ProcessUploadPayload, unknown, typeof JOBS.processUpload>(QUEUES.uploads, {
    connection,
    prefix: opts.prefix,
    defaultJobOptions: { ...defaultJobOptions, ...opts.jobOptions },
  });
}

/**
 * Enqueues the processing of one upload. jobId = uploadId makes it idempotent: a second call
 * for the same upload (a retried `complete`) is a no-op while the first job is still known to
 * BullMQ. Throws a ZodError on a payload the worker would refuse.
 */
export async function enqueueProcessUpload(
  queue: UploadsQueue,
  payload: ProcessUploadPayload,
): Promise<{ jobId: string }> {
  const parsed = processUploadPayload.parse(payload);
  // Version 1 goes without `v` (see PROCESS_UPLOAD_VERSION); a later one is stamped on.
  const data = PROCESS_UPLOAD_VERSION > 1 ? { ...parsed, v: PROCESS_UPLOAD_VERSION } : parsed;
  const job = await queue.add(JOBS.processUpload, data, { jobId: data.uploadId });
  return { jobId: job.id ?? data.uploadId };
}

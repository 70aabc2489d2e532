import { z } from 'zod';

// Job data sits in Redis in clear text and shows up in dashboards: ids only, never a file
// name, an email or a token. The same schemas run on both sides (enqueue and process), so a
// producer cannot put a job on the queue that the worker would refuse.

/** Same shape the API accepts for X-Request-Id (or a UUID it made itself). */
const requestId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,128}$/, 'request id: 1-128 of [A-Za-z0-9._-]');

/**
 * W3C trace context of the request that enqueued the job (`00-<trace id>-<span id>-<flags>`):
 * ids too, and the only context a job carries. Absent when tracing is off.
 */
const traceparent = z
  .string()
  .regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'traceparent: W3C version 00');

export const processUploadPayload = z
  .object({
    uploadId: z.uuid(),
    requestId,
    traceparent: traceparent.optional(),
  })
  .strict();
export type ProcessUploadPayload = z.infer<typeof processUploadPayload>;

/** The scheduler's template: no input, the job works on whatever has expired when it runs. */
export const cleanupUploadsPayload = z
  .object({
    /** Upper bound of rows removed per run, so one run stays short and lock-friendly. */
    batchSize: z.number().int().min(1).max(10000).default(500),
  })
  .strict();
export type CleanupUploadsPayload = z.infer<typeof cleanupUploadsPayload>;

/**
 * The reconcile scheduler's template: uploads stuck in `uploaded` (their job gave up while the
 * database was away, or was lost) are checked against their job, at most `batchSize` per run.
 * The age that counts as stuck is the worker's setting (UPLOAD_STUCK_AFTER_MS), not job data.
 */
export const reconcileUploadsPayload = z
  .object({
    /** Upper bound of rows checked per run: each costs a few Redis calls. */
    batchSize: z.number().int().min(1).max(10000).default(200),
  })
  .strict();
export type ReconcileUploadsPayload = z.infer<typeof reconcileUploadsPayload>;

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
 * ids too, and the only context a job carries. Absent when tracing is off. Optional, as the
 * evolution rule asks of every new field (README.md, "Payload versions").
 */
const traceparent = z
  .string()
  .regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'traceparent: W3C version 00');

/**
 * Payload version of process-upload this build writes and understands (the evolution rule is
 * in README.md, "Payload versions"). Version 1 is written without `v`: every job already in
 * Redis is version 1 as it stands.
 */
export const PROCESS_UPLOAD_VERSION = 1;

/**
 * Job data's `v`: the payload version its producer wrote (absent: 1). A worker that finds a
 * higher version than its handler understands leaves the job for a newer worker.
 */
const version = z.number().int().min(1).optional();

/** The version a job's data says it is (absent or unreadable: 1). */
export const payloadVersion = (data: unknown): number => {
  const v = (data as { v?: unknown } | null | undefined)?.v;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
};

const processUploadShape = {
  v: version,
  uploadId: z.uuid(),
  requestId,
  traceparent: traceparent.optional(),
};

/** What a producer may enqueue: strict, so a new field is a deliberate change made here. */
export const processUploadPayload = z.object(processUploadShape).strict();
export type ProcessUploadPayload = z.infer<typeof processUploadPayload>;

/**
 * What a worker accepts: the same fields, and keys it does not know are dropped, not refused —
 * during a rolling deploy a newer API adds optional fields before every worker knows them.
 */
export const processUploadJob = z.object(processUploadShape).strip();

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

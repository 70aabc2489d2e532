import type { Logger } from '@saas/shared/logger';
import type { z } from 'zod';

/** What a handler gets besides its payload. */
export interface JobContext {
  /** Child logger bound to jobId, queue, jobName and requestId: use it for every line. */
  logger: Logger;
  jobId: string;
  /** 1-based number of this attempt, and how many the job has. */
  attempt: number;
  attempts: number;
  /** Aborted when BullMQ cancels the job; pass it to I/O that accepts one. */
  signal: AbortSignal | undefined;
}

/** Context of the give-up hook: the job failed for good (attempts used up, unrecoverable, stalled too often). */
export interface GaveUpContext {
  logger: Logger;
  jobId: string;
  attemptsMade: number;
  error: Error;
}

/**
 * One job type: its name, its payload schema and its work. Handlers must be idempotent: a job
 * may run again after a stall (crash, forced shutdown) even when its work was done.
 * Throw BullMQ's UnrecoverableError for problems a retry cannot fix; anything else is retried
 * with the job's backoff.
 */
export interface JobHandler<P = unknown> {
  readonly name: string;
  readonly payload: z.ZodType<P>;
  /**
   * The highest payload version (job data's `v`, absent = 1) this handler understands; a job
   * with a higher one is left for a newer worker (shared/src/queue README, "Payload versions").
   * Unset: no version check.
   */
  readonly version?: number;
  /** Resolves with a small summary (ids, status, counts): logged and kept as the job's return value in Redis. */
  run(payload: P, ctx: JobContext): Promise<Record<string, unknown>>;
  /** Called once, from the worker's `failed` event, when the job will not run again. */
  onGaveUp?(payload: P, ctx: GaveUpContext): Promise<void>;
}

/** Erases the payload type so handlers of several kinds sit in one list. */
export const defineJobHandler = <P>(handler: JobHandler<P>): JobHandler<unknown> =>
  handler as unknown as JobHandler<unknown>;

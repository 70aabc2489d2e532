import type { Job } from 'bullmq';
import type { Logger } from '@saas/shared/logger';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The request id that started a job: the one the API put in the job data, so one id follows a
 * user's action from the web through the API into the worker. Jobs nobody requested (the
 * scheduler's) use their own job id.
 */
export function jobRequestId(job: Pick<Job, 'id' | 'data'>): string {
  const fromData = (job.data as { requestId?: unknown } | null | undefined)?.requestId;
  return typeof fromData === 'string' && SAFE_REQUEST_ID.test(fromData)
    ? fromData
    : `job:${job.id ?? 'unknown'}`;
}

/** The fields that tie a log line to one job: jobId, queue, jobName and requestId. */
export function jobFields(job: Pick<Job, 'id' | 'name' | 'data'>, queue: string) {
  return { jobId: job.id, queue, jobName: job.name, requestId: jobRequestId(job) };
}

/** Child logger for everything about one job: jobFields on every line. */
export function jobLogger(
  logger: Logger,
  job: Pick<Job, 'id' | 'name' | 'data'>,
  queue: string,
): Logger {
  return logger.child(jobFields(job, queue));
}

/** Sentry context of a job's events: ids only, never the payload. */
export function jobErrorContext(
  job: Pick<Job, 'id' | 'name' | 'data' | 'attemptsMade'>,
  queue: string,
) {
  return {
    jobId: String(job.id),
    queue,
    requestId: jobRequestId(job),
    tags: { jobName: job.name, attemptsMade: String(job.attemptsMade) },
  };
}

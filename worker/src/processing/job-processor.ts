import { performance } from 'node:perf_hooks';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '@saas/shared/logger';
import { payloadVersion } from '@saas/shared/queue';
import { contextFromTraceparent, SpanKind, withSpan, type Tracer } from '@saas/shared/tracing';
import type { z } from 'zod';
import type { JobHandler } from '../jobs/job-handler.ts';
import type { ActiveJobs } from './active-jobs.ts';
import { jobLogger } from './job-logger.ts';
import type { JobMetrics } from './job-metrics.ts';

export interface JobProcessorDeps {
  queue: string;
  handlers: ReadonlyMap<string, JobHandler>;
  logger: Logger;
  metrics: JobMetrics;
  /** True once the drain timed out: jobs still running are abandoned to the stalled check. */
  isAbandoned: () => boolean;
  activeJobs: ActiveJobs;
  /** Tracing on: each attempt runs in a CONSUMER span (see jobSpanParent). */
  tracer?: Tracer | undefined;
}

/**
 * A job that carries the `traceparent` of the request that enqueued it continues that trace:
 * each attempt is a child of the enqueue span, so a retried upload shows its attempts side by
 * side under the request that caused them (attempts are bounded: 5, backoff in seconds). Jobs
 * without one (the schedulers' repeating jobs) start a trace per run: a scheduler's template
 * outlives any request, and one trace spanning days of runs would be useless.
 */
const jobSpanParent = (job: Job) => {
  const traceparent = (job.data as { traceparent?: unknown } | null)?.traceparent;
  return contextFromTraceparent(typeof traceparent === 'string' ? traceparent : undefined);
};

/** Paths and messages only: a payload's values may be whatever a producer put there. */
const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** How long a job from a newer producer waits before a worker looks at it again. */
export const NEWER_VERSION_DELAY_MS = 15_000;

export const isUnrecoverable = (err: unknown): boolean =>
  err instanceof UnrecoverableError ||
  (err as { name?: unknown } | null)?.name === 'UnrecoverableError';

/**
 * The function BullMQ calls for each job of one queue: finds the handler by job name,
 * validates the payload (an invalid one fails for good: retrying cannot fix it), runs it with a
 * child logger, and records the attempt's duration. Completion and final failure are logged
 * from the worker's events, once BullMQ has recorded them.
 */
export function createJobProcessor(deps: JobProcessorDeps) {
  const tracer = deps.tracer;
  const run = createAttemptRunner(deps);
  if (!tracer) return run;
  return (job: Job, token?: string, signal?: AbortSignal): Promise<Record<string, unknown>> =>
    withSpan(
      tracer,
      `process ${deps.queue}`,
      {
        kind: SpanKind.CONSUMER,
        parent: jobSpanParent(job),
        attributes: {
          'messaging.system': 'bullmq',
          'messaging.operation.type': 'process',
          'messaging.destination.name': deps.queue,
          'messaging.message.id': String(job.id),
          'bullmq.job.name': job.name,
          'bullmq.job.attempt': job.attemptsMade + 1,
        },
      },
      () => run(job, token, signal),
    );
}

function createAttemptRunner(deps: JobProcessorDeps) {
  return async (
    job: Job,
    token?: string,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> => {
    const logger = jobLogger(deps.logger, job, deps.queue);
    const attempts = job.opts.attempts ?? 1;
    const attempt = job.attemptsMade + 1;
    const started = performance.now();
    const elapsed = (): number => (performance.now() - started) / 1000;
    const jobId = String(job.id);
    // A rolling deploy: a newer API wrote a payload version this handler does not know. Leave
    // the job (delayed, not counted as an attempt) for a newer worker rather than fail it.
    const understood = deps.handlers.get(job.name)?.version;
    const version = payloadVersion(job.data);
    if (understood !== undefined && version > understood && token) {
      logger.warn(
        { payloadVersion: version, understood, retryInMs: NEWER_VERSION_DELAY_MS },
        'job written by a newer producer; left for a newer worker',
      );
      await job.moveToDelayed(Date.now() + NEWER_VERSION_DELAY_MS, token);
      throw new DelayedError();
    }
    logger.info({ attempt, attempts, attemptsStarted: job.attemptsStarted }, 'job started');
    deps.activeJobs.add(jobId);
    try {
      const handler = deps.handlers.get(job.name);
      if (!handler)
        throw new UnrecoverableError(`no handler for job "${job.name}" on queue ${deps.queue}`);
      const parsed = handler.payload.safeParse(job.data);
      if (!parsed.success)
        throw new UnrecoverableError(`invalid job payload: ${describeIssues(parsed.error)}`);
      const result = await handler.run(parsed.data, { logger, jobId, attempt, attempts, signal });
      deps.metrics.duration.observe(
        { queue: deps.queue, name: job.name, outcome: 'completed' },
        elapsed(),
      );
      return result;
    } catch (err) {
      deps.metrics.duration.observe(
        { queue: deps.queue, name: job.name, outcome: 'failed' },
        elapsed(),
      );
      if (deps.isAbandoned()) {
        logger.warn(
          { err, attempt },
          'job interrupted by shutdown; it will stall and run again elsewhere',
        );
      } else {
        const willRetry = !isUnrecoverable(err) && attempt < attempts;
        logger.warn(
          { err, attempt, attempts, willRetry, durationMs: Math.round(elapsed() * 1000) },
          willRetry ? 'job attempt failed; will retry' : 'job attempt failed; no retry left',
        );
      }
      throw err;
    } finally {
      deps.activeJobs.delete(jobId);
    }
  };
}

import type { Job, Queue, Worker } from 'bullmq';
import type { Logger } from '@saas/shared/logger';
import { withTraceparent } from '@saas/shared/tracing';
import type { JobHandler } from '../jobs/job-handler.ts';
import type { ErrorReporter } from './error-reporter.ts';
import { jobErrorContext, jobFields, jobLogger } from './job-logger.ts';
import type { JobMetrics } from './job-metrics.ts';
import { isUnrecoverable } from './job-processor.ts';

export interface JobEventsDeps {
  queue: string;
  handlers: ReadonlyMap<string, JobHandler>;
  logger: Logger;
  metrics: JobMetrics;
  reporter: ErrorReporter;
  /** To read a stalled job's data (its request id) for the log line. */
  lookup: Pick<Queue, 'getJob'>;
}

export interface JobEvents {
  /** Resolves when every give-up hook started so far has finished (shutdown waits for it). */
  settled(): Promise<void>;
}

/**
 * True when BullMQ will not run the job again: moved to the failed set (finishedOn set), an
 * unrecoverable error, or its last attempt. Stalled-too-often jobs arrive here too: BullMQ 6
 * fails them through the worker with an UnrecoverableError.
 */
export const isFinalFailure = (job: Job, err: Error): boolean =>
  job.finishedOn !== undefined ||
  isUnrecoverable(err) ||
  job.attemptsMade >= (job.opts.attempts ?? 1);

/**
 * Logs, counts and reports what BullMQ recorded: completions, failed attempts, final failures
 * (Sentry, plus the handler's give-up hook, e.g. the row says `failed`), stalls, worker errors.
 */
export function attachJobEvents(worker: Worker, deps: JobEventsDeps): JobEvents {
  const { queue, metrics } = deps;
  const pending = new Set<Promise<void>>();

  worker.on('completed', (job, result: unknown) => {
    metrics.completed.inc({ queue, name: job.name });
    const durationMs =
      job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : undefined;
    // One line, the job's fields inline: a child logger per completion cost more than the line.
    deps.logger.info(
      {
        ...jobFields(job, queue),
        durationMs,
        attemptsMade: job.attemptsMade,
        attemptsStarted: job.attemptsStarted,
        result,
      },
      'job completed',
    );
  });

  worker.on('failed', (job, err) => {
    if (!job) {
      deps.logger.error({ err, queue }, 'job failed (job data unavailable)');
      return;
    }
    metrics.failed.inc({ queue, name: job.name });
    if (!isFinalFailure(job, err)) return;
    metrics.gaveUp.inc({ queue, name: job.name });
    // The job's span has ended by now: the line and the Sentry event join its trace this way.
    const traceparent = (job.data as { traceparent?: unknown } | null)?.traceparent;
    withTraceparent(typeof traceparent === 'string' ? traceparent : undefined, () =>
      reportGaveUp(job, err),
    );
  });

  const reportGaveUp = (job: Job, err: Error): void => {
    const logger = jobLogger(deps.logger, job, queue);
    logger.error(
      { err, attemptsMade: job.attemptsMade },
      'job failed for good; kept in the failed set',
    );
    deps.reporter.captureException(err, jobErrorContext(job, queue));
    const handler = deps.handlers.get(job.name);
    const parsed = handler?.onGaveUp ? handler.payload.safeParse(job.data) : undefined;
    if (!handler?.onGaveUp || !parsed?.success) return;
    const done = handler
      .onGaveUp(parsed.data, {
        logger,
        jobId: String(job.id),
        attemptsMade: job.attemptsMade,
        error: err,
      })
      .catch((hookErr: unknown) => {
        logger.error({ err: hookErr }, 'give-up hook failed');
        deps.reporter.captureException(hookErr, jobErrorContext(job, queue));
      })
      .finally(() => pending.delete(done));
    pending.add(done);
  };

  worker.on('stalled', (jobId) => {
    metrics.stalled.inc({ queue });
    void deps.lookup
      .getJob(jobId)
      .catch(() => undefined)
      .then((job) => {
        const logger = job
          ? jobLogger(deps.logger, job, queue)
          : deps.logger.child({ jobId, queue, requestId: 'unknown' });
        logger.warn('job stalled (its worker stopped renewing the lock); requeued to run again');
      });
  });

  worker.on('error', (err) => {
    // Connection loss is reported by the Redis connection's own log lines; this is the rest.
    deps.logger.error({ err, queue }, 'worker error');
  });

  return {
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

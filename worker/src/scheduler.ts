import type { Logger } from '@saas/shared/logger';
import { JOBS, type MaintenanceQueue } from '@saas/shared/queue';

/**
 * Registers the cleanup-uploads job scheduler. upsertJobScheduler is idempotent by scheduler
 * id: every worker replica calls it at start and Redis keeps one scheduler, which produces one
 * job per interval for the whole fleet (a changed interval replaces the old one).
 * (BullMQ 6 dropped `add(..., { repeat })`; in JS it silently adds a one-off job.)
 */
export async function registerCleanupScheduler(
  queue: MaintenanceQueue,
  opts: { everyMs: number; batchSize?: number },
): Promise<void> {
  await queue.upsertJobScheduler(
    JOBS.cleanupUploads,
    { every: opts.everyMs },
    {
      name: JOBS.cleanupUploads,
      data: { batchSize: opts.batchSize ?? 500 },
      // The next run comes soon anyway: a few quick retries, and a short history.
      opts: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 5000 },
        removeOnComplete: { age: 24 * 3600, count: 100 },
        removeOnFail: { age: 7 * 24 * 3600, count: 500 },
      },
    },
  );
}

export interface SchedulerHandle {
  /** Stops retrying a registration that has not succeeded yet. */
  stop(): void;
}

/**
 * Registers the scheduler now, and keeps retrying in the background while Redis is not there
 * yet: jobs already queued are processed meanwhile, and a Redis outage at start does not
 * become a crash loop.
 */
export function startCleanupScheduler(
  queue: MaintenanceQueue,
  opts: { everyMs: number; logger: Logger; retryMs?: number },
): SchedulerHandle {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = (): void => {
    registerCleanupScheduler(queue, { everyMs: opts.everyMs }).then(
      () =>
        opts.logger.info(
          { scheduler: JOBS.cleanupUploads, everyMs: opts.everyMs },
          'job scheduler registered',
        ),
      (err: unknown) => {
        if (stopped) return;
        opts.logger.warn(
          { err, scheduler: JOBS.cleanupUploads },
          'job scheduler not registered yet; retrying',
        );
        timer = setTimeout(attempt, opts.retryMs ?? 5000);
      },
    );
  };
  attempt();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

import type { Logger } from '@saas/shared/logger';
import { JOBS, type MaintenancePayload, type MaintenanceQueue } from '@saas/shared/queue';

/** The housekeeping jobs, each produced by its own job scheduler on the same interval. */
const HOUSEKEEPING: readonly { name: string; data: MaintenancePayload }[] = [
  // Expired pending uploads: object, then row.
  { name: JOBS.cleanupUploads, data: { batchSize: 500 } },
  // Uploads stuck in `uploaded` (job gave up while the database was away, or lost): settled.
  { name: JOBS.reconcileUploads, data: { batchSize: 200 } },
];

export const MAINTENANCE_SCHEDULERS = HOUSEKEEPING.map((h) => h.name);

/**
 * Registers the housekeeping job schedulers (cleanup-uploads, reconcile-uploads).
 * upsertJobScheduler is idempotent by scheduler id: every worker replica calls it at start and
 * Redis keeps one scheduler per job, which produces one job per interval for the whole fleet
 * (a changed interval replaces the old one).
 * (BullMQ 6 dropped `add(..., { repeat })`; in JS it silently adds a one-off job.)
 */
export async function registerMaintenanceSchedulers(
  queue: MaintenanceQueue,
  opts: { everyMs: number },
): Promise<void> {
  for (const { name, data } of HOUSEKEEPING) {
    await queue.upsertJobScheduler(
      name,
      { every: opts.everyMs },
      {
        name,
        data,
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
}

export interface SchedulerHandle {
  /** Stops retrying a registration that has not succeeded yet. */
  stop(): void;
}

/**
 * Registers the schedulers now, and keeps retrying in the background while Redis is not there
 * yet: jobs already queued are processed meanwhile, and a Redis outage at start does not
 * become a crash loop. A retry registers all of them again (idempotent).
 */
export function startMaintenanceSchedulers(
  queue: MaintenanceQueue,
  opts: { everyMs: number; logger: Logger; retryMs?: number },
): SchedulerHandle {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = (): void => {
    registerMaintenanceSchedulers(queue, { everyMs: opts.everyMs }).then(
      () =>
        opts.logger.info(
          { schedulers: MAINTENANCE_SCHEDULERS, everyMs: opts.everyMs },
          'job scheduler registered',
        ),
      (err: unknown) => {
        if (stopped) return;
        opts.logger.warn(
          { err, schedulers: MAINTENANCE_SCHEDULERS },
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

import type { Worker } from 'bullmq';
import type { Logger } from '@saas/shared/logger';
import type { ActiveJobs } from './active-jobs.ts';

export interface DrainOptions {
  /** WORKER_DRAIN_TIMEOUT_MS. */
  timeoutMs: number;
  logger: Logger;
  activeJobs: ActiveJobs;
  /** Called when the timeout passes, before the connections are cut. */
  onAbandon: () => void;
}

const sleep = (ms: number): Promise<'timeout'> =>
  new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());

/**
 * Graceful stop: `worker.close()` stops fetching and waits for the active jobs, with no limit
 * of its own, so it is raced against the drain budget. Past it the jobs still running are
 * abandoned: the Redis connections are cut at once, so BullMQ can record nothing more for them
 * (no completion, no failure that would use up an attempt); their locks expire and another
 * worker's stalled check requeues them. (`close(true)` would not help here: BullMQ memoizes the
 * first close() call, so a second one only returns the same pending promise.)
 */
export async function drainWorkers(
  workers: readonly Worker[],
  opts: DrainOptions,
): Promise<'drained' | 'abandoned'> {
  const active = opts.activeJobs.ids();
  opts.logger.info(
    { activeJobs: active.length, timeoutMs: opts.timeoutMs },
    'draining: fetching stopped; waiting for active jobs',
  );
  const closing = Promise.allSettled(workers.map((w) => w.close())).then(() => 'drained' as const);
  const outcome = await Promise.race([closing, sleep(opts.timeoutMs)]);
  if (outcome === 'drained') {
    opts.logger.info('drained: every active job finished');
    return outcome;
  }
  opts.onAbandon();
  const left = opts.activeJobs.ids();
  opts.logger.warn(
    { timeoutMs: opts.timeoutMs, abandonedJobs: left },
    `drain timed out: ${left.length} job(s) left running; they will stall and run again on another worker`,
  );
  await Promise.race([Promise.allSettled(workers.map((w) => w.disconnect())), sleep(1000)]);
  return 'abandoned';
}

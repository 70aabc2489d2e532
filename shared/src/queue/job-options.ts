import type { DefaultJobOptions } from 'bullmq';

/**
 * Retries and retention for every job the app enqueues.
 *
 * - 5 attempts with exponential backoff from 2 s (2, 4, 8, 16 s; jitter spreads a burst of
 *   retries after a shared outage): rides out a storage or database blip of about half a
 *   minute without parking the job in the failed set.
 * - Completed jobs are kept for a day and at most 1,000: enough to debug "did it run?", and
 *   Redis memory stays bounded even at high volume (whichever limit is hit first wins).
 * - Failed jobs are kept for two weeks and at most 5,000: they are the inspection queue after
 *   an incident (retry them from a dashboard or `queue.retryJobs({state: 'failed'})`).
 */
export const defaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.2 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 5000 },
} as const satisfies DefaultJobOptions;

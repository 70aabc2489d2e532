/**
 * Worker settings chosen on purpose (BullMQ's own defaults in brackets). The worker's env can
 * override each one; these are the values a copy of this module starts with.
 *
 * - lockDuration 30 s [30 s]: a job holds its lock this long without a renewal (renewed every
 *   lockDuration/2). After a crash or a forced stop, the job waits this long before another
 *   worker may take it. Shorter means faster recovery but a long event-loop stall (a big
 *   synchronous hash, GC) could then lose the lock of a job that is still running.
 * - stalledInterval 30 s [30 s]: how often each worker looks for jobs whose lock expired.
 *   Recovery after a crash takes at most lockDuration + stalledInterval (about a minute).
 * - maxStalledCount 2 [1]: a job may stall twice before it fails for good. One stall is a
 *   normal event here (a deploy whose drain ran out, an OOM kill, a node going away) and the
 *   job should simply run again; a job that kills its worker three times in a row is
 *   probably the cause (a poison file) and belongs in the failed set, not in a crash loop.
 *   Handlers must be idempotent either way.
 * - concurrency 5: jobs mostly wait on storage and the database; a few in flight per process
 *   keep the pipe busy without holding many database connections.
 */
export const workerDefaults = {
  concurrency: 5,
  lockDuration: 30_000,
  stalledInterval: 30_000,
  maxStalledCount: 2,
} as const;

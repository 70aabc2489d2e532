import { hostname } from 'node:os';
import { MetricsTime, Worker, type ConnectionOptions, type Processor } from 'bullmq';

export interface QueueWorkerSettings {
  prefix: string;
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
}

/**
 * A BullMQ Worker with the app's settings, not started (main starts it once the health server
 * listens). The connection must be a worker connection (maxRetriesPerRequest: null); BullMQ
 * duplicates it for its blocking fetch.
 */
export function createQueueWorker(
  queue: string,
  processor: Processor,
  connection: ConnectionOptions,
  settings: QueueWorkerSettings,
): Worker {
  return new Worker(queue, processor, {
    connection,
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDuration,
    stalledInterval: settings.stalledInterval,
    maxStalledCount: settings.maxStalledCount,
    autorun: false,
    // Shown in CLIENT LIST and queue.getWorkers(): which process holds which worker.
    name: `${hostname()}:${process.pid}`,
    // After a lost connection BullMQ waits this long before fetching again (default 15 s):
    // jobs resume within a couple of seconds of Redis coming back.
    runRetryDelay: 2000,
    // BullMQ's per-minute completed/failed counts in Redis, fleet-wide: they feed
    // bullmq_job_completed_total / bullmq_job_failed_total on /metrics.
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  });
}

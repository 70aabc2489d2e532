import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import { mergePrometheusText } from './merge-prometheus-text.ts';
import { withTimeout } from './with-timeout.ts';

export interface QueueMetricsOptions {
  queues: readonly Queue[];
  registry: Registry;
  /** The `service` label of the other metrics, added to BullMQ's lines too. */
  service: string;
  timeoutMs: number;
}

export interface QueueMetrics {
  /** prom-client's metrics followed by BullMQ's export for each queue. */
  render(): Promise<string>;
  /** Job counts by state per queue, for /health. */
  counts(signal: AbortSignal): Promise<Record<string, Record<string, number>>>;
}

/**
 * Queue depth comes from BullMQ's own Prometheus export (`bullmq_job_count{queue,state}`, and
 * `bullmq_job_completed_total`/`bullmq_job_failed_total` from its Redis-side metrics): the
 * numbers are fleet-wide, read from Redis, so every replica reports the same values (use
 * max() across instances, not sum()). `queue_workers{queue}` counts the worker connections
 * BullMQ sees on each queue.
 */
export function createQueueMetrics(opts: QueueMetricsOptions): QueueMetrics {
  const { queues, timeoutMs } = opts;
  new Gauge({
    name: 'queue_workers',
    help: 'Workers connected to the queue (all processes), as BullMQ sees them in CLIENT LIST.',
    labelNames: ['queue'],
    registers: [opts.registry],
    async collect() {
      await Promise.all(
        queues.map(async (q) => {
          try {
            this.set(
              { queue: q.name },
              await withTimeout(q.getWorkersCount(), timeoutMs, 'queue_workers'),
            );
          } catch {
            // Redis away: drop the sample rather than report a made-up zero.
            this.remove({ queue: q.name });
          }
        }),
      );
    },
  });

  return {
    async render() {
      const own = await opts.registry.metrics();
      const exported = await Promise.all(
        queues.map((q) =>
          withTimeout(
            q.exportPrometheusMetrics({ service: opts.service }),
            timeoutMs,
            'bullmq metrics',
          ).catch(() => `# bullmq metrics for queue ${q.name} unavailable (Redis not answering)`),
        ),
      );
      return `${own.trimEnd()}\n${mergePrometheusText(exported)}`;
    },
    async counts(signal) {
      const entries = await Promise.all(
        queues.map(async (q) => {
          const counts = await withTimeout(
            q.getJobCounts(
              'waiting',
              'active',
              'delayed',
              'failed',
              'completed',
              'prioritized',
              'waiting-children',
            ),
            timeoutMs,
            'queue counts',
          );
          signal.throwIfAborted();
          return [q.name, counts] as const;
        }),
      );
      return Object.fromEntries(entries);
    },
  };
}

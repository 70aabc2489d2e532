import type { HealthCheck } from '@saas/shared/health';
import type { QueueMetrics } from './queue-metrics.ts';
import type { WorkerRuntime } from './processing/worker-runtime.ts';

/** The checks /health/ready needs: the dependencies a job cannot run without, and the workers themselves. */
export const READINESS_CHECKS = ['redis', 'db', 'workers'] as const;

/** Every worker loop runs and none is closing. Answers from memory. */
export const workersCheck =
  (runtime: Pick<WorkerRuntime, 'isRunning' | 'workers'>): HealthCheck =>
  async () => {
    if (!runtime.isRunning()) throw new Error('workers not running');
    return {
      details: {
        workers: runtime.workers.map((w) => ({ queue: w.name, concurrency: w.concurrency })),
      },
    };
  };

/** Job counts by state per queue, shown in /health (optional: a slow count must not fail readiness). */
export const queuesCheck =
  (metrics: Pick<QueueMetrics, 'counts'>): HealthCheck =>
  async (signal) => ({ details: await metrics.counts(signal) });

import { Counter, Histogram, type Registry } from 'prom-client';

export interface JobMetrics {
  completed: Counter<'queue' | 'name'>;
  failed: Counter<'queue' | 'name'>;
  gaveUp: Counter<'queue' | 'name'>;
  stalled: Counter<'queue'>;
  duration: Histogram<'queue' | 'name' | 'outcome'>;
  /** Uploads found stuck in `uploaded` and settled by reconcile-uploads. */
  reconciled: Counter<'outcome'>;
}

/** Per-process job counters and the processing-time histogram (queue-level counts come from BullMQ's export). */
export function createJobMetrics(registry: Registry): JobMetrics {
  const registers = [registry];
  return {
    completed: new Counter({
      name: 'jobs_completed_total',
      help: 'Jobs this process completed.',
      labelNames: ['queue', 'name'],
      registers,
    }),
    failed: new Counter({
      name: 'jobs_failed_total',
      help: 'Job attempts that failed in this process (retried or final).',
      labelNames: ['queue', 'name'],
      registers,
    }),
    gaveUp: new Counter({
      name: 'jobs_gave_up_total',
      help: 'Jobs that failed for good (attempts used up, unrecoverable, stalled too often): they sit in the failed set.',
      labelNames: ['queue', 'name'],
      registers,
    }),
    stalled: new Counter({
      name: 'jobs_stalled_total',
      help: 'Jobs this process found stalled (their worker died or was force-stopped) and requeued.',
      labelNames: ['queue'],
      registers,
    }),
    duration: new Histogram({
      name: 'job_duration_seconds',
      help: 'Time a job attempt spent in its handler.',
      labelNames: ['queue', 'name', 'outcome'],
      // Jobs stream objects: from milliseconds (tiny files, no-ops) to minutes (big files, slow stores).
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    reconciled: new Counter({
      name: 'uploads_reconciled_total',
      help: 'Uploads stuck in "uploaded" that reconcile-uploads marked failed (their job had given up) or enqueued again (their job was lost). Steady growth means give-up hooks or Redis are losing work.',
      labelNames: ['outcome'],
      registers,
    }),
  };
}

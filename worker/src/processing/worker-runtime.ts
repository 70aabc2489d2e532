import type { ConnectionOptions, Queue, Worker } from 'bullmq';
import type { Logger } from '@saas/shared/logger';
import type { JobHandler } from '../jobs/job-handler.ts';
import { createActiveJobs } from './active-jobs.ts';
import { createQueueWorker, type QueueWorkerSettings } from './create-queue-worker.ts';
import { drainWorkers } from './drain-workers.ts';
import type { ErrorReporter } from './error-reporter.ts';
import { attachJobEvents, type JobEvents } from './job-events.ts';
import type { JobMetrics } from './job-metrics.ts';
import type { Tracer } from '@saas/shared/tracing';
import { createJobProcessor } from './job-processor.ts';

export interface QueueSpec {
  /** A producer-side Queue of the same name: used to look up stalled jobs for their log line. */
  queue: Queue;
  handlers: readonly JobHandler[];
  concurrency: number;
}

export interface WorkerRuntimeDeps {
  connection: ConnectionOptions;
  settings: Omit<QueueWorkerSettings, 'concurrency'>;
  queues: readonly QueueSpec[];
  logger: Logger;
  metrics: JobMetrics;
  reporter: ErrorReporter;
  /** WORKER_DRAIN_TIMEOUT_MS. */
  drainTimeoutMs: number;
  /** Tracing on: every job attempt runs in a span (job-processor.ts). */
  tracer?: Tracer | undefined;
}

export interface WorkerRuntime {
  readonly workers: readonly Worker[];
  /** Starts fetching on every queue. */
  start(): void;
  /** Every worker's loop runs and none is closing: the readiness condition. */
  isRunning(): boolean;
  /** The shutdown step: drain within the budget, else abandon the rest to the stalled check. */
  drain(): Promise<'drained' | 'abandoned'>;
}

/** One BullMQ Worker per queue, with the app's processor, events, metrics and drain. */
export function createWorkerRuntime(deps: WorkerRuntimeDeps): WorkerRuntime {
  const activeJobs = createActiveJobs();
  let abandoned = false;
  let started = false;
  const entries: { worker: Worker; events: JobEvents }[] = deps.queues.map((spec) => {
    const name = spec.queue.name;
    const handlers = new Map(spec.handlers.map((h) => [h.name, h]));
    const processor = createJobProcessor({
      queue: name,
      handlers,
      logger: deps.logger,
      metrics: deps.metrics,
      isAbandoned: () => abandoned,
      activeJobs,
      tracer: deps.tracer,
    });
    const worker = createQueueWorker(name, processor, deps.connection, {
      ...deps.settings,
      concurrency: spec.concurrency,
    });
    const events = attachJobEvents(worker, {
      queue: name,
      handlers,
      logger: deps.logger,
      metrics: deps.metrics,
      reporter: deps.reporter,
      lookup: spec.queue,
    });
    return { worker, events };
  });
  const workers = entries.map((e) => e.worker);

  return {
    workers,
    start() {
      if (started) return;
      started = true;
      for (const worker of workers) {
        worker.run().catch((err: unknown) => {
          // run() rejects only on misuse (no processor, started twice): readiness shows it.
          deps.logger.error({ err, queue: worker.name }, 'worker stopped unexpectedly');
        });
      }
      deps.logger.info(
        {
          queues: deps.queues.map((q) => ({ queue: q.queue.name, concurrency: q.concurrency })),
          ...deps.settings,
        },
        'workers started',
      );
    },
    isRunning: () => started && workers.every((w) => w.isRunning() && !w.closing),
    async drain() {
      if (!started) {
        await Promise.allSettled(workers.map((w) => w.close()));
        return 'drained';
      }
      const outcome = await drainWorkers(workers, {
        timeoutMs: deps.drainTimeoutMs,
        logger: deps.logger,
        activeJobs,
        onAbandon: () => {
          abandoned = true;
        },
      });
      // Give-up hooks (row → failed) started by the last failures finish before the database closes.
      if (outcome === 'drained') await Promise.all(entries.map((e) => e.events.settled()));
      return outcome;
    },
  };
}

// Ours: the worker's real job runtime (worker/src/processing: payload validation, child logger
// per job, started/completed log lines, duration histogram and counters, failure reporting
// through the Sentry handle, active-job tracking, BullMQ metrics) on a no-op process-upload
// handler. Logs go to /dev/null with synchronous writes, like stdout in production.
import { openSync } from 'node:fs';
import { createBatchedDestination, createLogger } from '@saas/shared/logger';
import { createMetrics, initSentry } from '@saas/shared/observability';
import { createUploadsQueue, JOBS, processUploadPayload } from '@saas/shared/queue';
import { createRedis } from '@saas/shared/redis';
import { currentTracing, traceLogFields } from '@saas/shared/tracing';
import { defineJobHandler } from '../../worker/src/jobs/job-handler.ts';
import { createJobMetrics } from '../../worker/src/processing/job-metrics.ts';
import { createWorkerRuntime } from '../../worker/src/processing/worker-runtime.ts';
import { completionClock, report, workerRunArgs } from './worker-args.ts';

const args = workerRunArgs();
// Started by worker/src/instrument.ts when the parent preloads it (SENTRY_DSN set): this
// returns that handle; otherwise a disabled one.
const sentry = initSentry({
  dsn: process.env.SENTRY_DSN || undefined,
  environment: 'production',
  release: 'bench',
  service: 'worker',
  tracesSampleRate: 0,
});
// Started by worker/src/instrument.ts when the parent preloads it with an OTLP endpoint.
const tracing = currentTracing();
const logger = createLogger({
  service: 'worker',
  env: 'production',
  version: 'bench',
  level: 'info',
  destination: createBatchedDestination({ fd: openSync('/dev/null', 'w') }),
  ...(tracing.enabled ? { mixin: traceLogFields } : {}),
});
const workerRedis = createRedis(args.redisUrl, { role: 'worker', connectionName: 'bench-worker' });
const opsRedis = createRedis(args.redisUrl, { role: 'client', connectionName: 'bench-ops' });
const queue = createUploadsQueue(opsRedis, { prefix: args.prefix });
const metrics = createMetrics({ service: 'worker' });
const noop = defineJobHandler({
  name: JOBS.processUpload,
  payload: processUploadPayload,
  run: async ({ uploadId }) => ({ uploadId, outcome: 'noop' }),
});
const runtime = createWorkerRuntime({
  connection: workerRedis,
  settings: {
    prefix: args.prefix,
    lockDuration: 30_000,
    stalledInterval: 30_000,
    maxStalledCount: 2,
  },
  queues: [{ queue, handlers: [noop], concurrency: args.concurrency }],
  logger,
  metrics: createJobMetrics(metrics.registry),
  reporter: sentry,
  drainTimeoutMs: 5000,
  tracer: tracing.enabled ? tracing.tracer : undefined,
});
const worker = runtime.workers[0]!;
const clock = completionClock(args.jobs);
worker.on('completed', clock.completed);
await worker.waitUntilReady();
report({ ready: true, sentry: sentry.enabled, tracing: tracing.enabled });
clock.start();
runtime.start();
const ms = await clock.done;
report({ result: true, jobs: args.jobs, ms, rssBytes: process.memoryUsage().rss });
await runtime.drain();
await queue.close();
await tracing.shutdown();
workerRedis.disconnect();
opsRedis.disconnect();

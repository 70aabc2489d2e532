// Process entry: wires, decides nothing. config → Sentry → logger → database (+ migration
// guard) → Redis → storage → health server → workers → scheduler → signals.
import { fileURLToPath } from 'node:url';
import { ConfigError, formatConfig } from '@saas/shared/config';
import {
  assertMigrated,
  createDb,
  dbCheck,
  MigrationsPendingError,
  runMigrations,
  waitForDb,
} from '@saas/shared/db';
import { createHealthRegistry } from '@saas/shared/health';
import { closeHttpServer, createLifecycle, installCrashHandlers } from '@saas/shared/lifecycle';
import { createLogger, serializeError } from '@saas/shared/logger';
import { createMetrics, initSentry } from '@saas/shared/observability';
import { createMaintenanceQueue, createUploadsQueue } from '@saas/shared/queue';
import { createRedis, redisCheck } from '@saas/shared/redis';
import { createStorageFromEnv, storageCheck, supabaseKeyWarnings } from '@saas/shared/storage';
import { currentTracing, traceLogFields } from '@saas/shared/tracing';
import { closeRedis } from './close-redis.ts';
import { loadWorkerConfig, workerEnvSchema, type WorkerConfig } from './config.ts';
import { queuesCheck, READINESS_CHECKS, workersCheck } from './health-checks.ts';
import { createHealthServer, listen } from './health-server.ts';
import { createCleanupUploads } from './jobs/cleanup-uploads.ts';
import { createProcessUpload } from './jobs/process-upload.ts';
import { createReconcileUploads } from './jobs/reconcile-uploads.ts';
import { createJobMetrics } from './processing/job-metrics.ts';
import { createWorkerRuntime } from './processing/worker-runtime.ts';
import { createQueueMetrics } from './queue-metrics.ts';
import { startMaintenanceSchedulers } from './scheduler.ts';
import { withTimeout } from './with-timeout.ts';
import { createUploadRows } from './uploads/upload-rows.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../infra/supabase/migrations', import.meta.url));

function loadConfigOrExit(): WorkerConfig {
  try {
    return loadWorkerConfig();
  } catch (err) {
    // No logger yet (its level is config): one plain line per problem, no secret values.
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const env = config.env;
  // Already started by instrument.ts (node --import): this returns that handle.
  const sentry = initSentry({
    dsn: env.SENTRY_DSN,
    environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV,
    release: config.version,
    service: 'worker',
    tracesSampleRate: env.SENTRY_TRACES_SAMPLE_RATE,
  });
  // Started by instrument.ts when OTEL_EXPORTER_OTLP_ENDPOINT is set; disabled otherwise.
  const tracing = currentTracing();
  const tracer = tracing.enabled ? tracing.tracer : undefined;
  const logger = createLogger({
    service: 'worker',
    env: env.NODE_ENV,
    version: config.version,
    level: env.LOG_LEVEL,
    ...(tracing.enabled ? { mixin: traceLogFields } : {}),
  });
  const lifecycle = createLifecycle({ logger, timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
  // Crash policy "log" (docs/decisions/0001): an unexpected error beside the jobs must not kill
  // the jobs in flight; a process that really breaks fails readiness and its jobs stall over
  // to another worker.
  installCrashHandlers({ policy: 'log', logger, lifecycle });
  lifecycle.onClose('sentry', () => sentry.flush(2000));
  // Registered early so it runs late: the spans of the last jobs are exported on shutdown.
  lifecycle.onClose('tracing', () => tracing.shutdown());
  logger.info({ config: formatConfig(workerEnvSchema, env).split('\n') }, 'starting worker');
  for (const warning of supabaseKeyWarnings(env)) logger.warn(warning);

  const sql = createDb({
    url: env.DATABASE_URL,
    max: env.DATABASE_POOL_MAX,
    prepare: env.DATABASE_PREPARE,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    applicationName: 'worker',
    ...(tracer ? { tracer } : {}),
  });
  lifecycle.onClose('db', () => sql.end({ timeout: 5 }));
  try {
    await waitForDb(sql, { timeoutMs: env.DATABASE_STARTUP_WAIT_MS, logger });
    if (env.MIGRATE_ON_START) await runMigrations(sql, { dir: MIGRATIONS_DIR, logger });
    // Unknown (newer) migrations are fine: a deploy migrates before its old workers restart.
    await assertMigrated(sql, { dir: MIGRATIONS_DIR, allowUnknown: true });
  } catch (err) {
    const fields =
      err instanceof MigrationsPendingError
        ? { pending: err.pending, unknown: err.unknown }
        : { err: serializeError(err) };
    logger.fatal(fields, `refusing to start: ${err instanceof Error ? err.message : String(err)}`);
    await lifecycle.shutdown('startup failed', { exitCode: 1 });
    return;
  }

  // Jobs run on a worker connection (waits through outages); health, metrics and the
  // scheduler use a client connection that gives up quickly instead of queueing forever.
  const workerRedis = createRedis(env.REDIS_URL, {
    role: 'worker',
    connectionName: 'worker',
    logger,
  });
  lifecycle.onClose('redis-worker', () => closeRedis(workerRedis));
  const opsRedis = createRedis(env.REDIS_URL, {
    role: 'client',
    connectionName: 'worker:ops',
    logger,
  });
  lifecycle.onClose('redis-ops', () => closeRedis(opsRedis));
  const storage = createStorageFromEnv(env, { tracer });
  lifecycle.onClose('storage', () => storage.close());
  const uploadsQueue = createUploadsQueue(opsRedis, { prefix: env.QUEUE_PREFIX });
  const maintenanceQueue = createMaintenanceQueue(opsRedis, { prefix: env.QUEUE_PREFIX });
  for (const queue of [uploadsQueue, maintenanceQueue]) {
    // An 'error' event without a listener would throw; connection trouble is logged by createRedis.
    queue.on('error', (err) => logger.warn({ err, queue: queue.name }, 'queue error'));
  }
  lifecycle.onClose('queues', () =>
    withTimeout(
      Promise.all([uploadsQueue.close(), maintenanceQueue.close()]),
      2000,
      'closing queues',
    ),
  );

  const metrics = createMetrics({ service: 'worker' });
  const jobMetrics = createJobMetrics(metrics.registry);
  const queueMetrics = createQueueMetrics({
    queues: [uploadsQueue, maintenanceQueue],
    registry: metrics.registry,
    service: 'worker',
    timeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
  });
  const rows = createUploadRows(sql);
  const runtime = createWorkerRuntime({
    connection: workerRedis,
    settings: {
      prefix: env.QUEUE_PREFIX,
      lockDuration: env.WORKER_LOCK_DURATION_MS,
      stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
      maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
    },
    queues: [
      {
        queue: uploadsQueue,
        handlers: [createProcessUpload({ rows, storage, allowedTypes: env.UPLOAD_ALLOWED_TYPES })],
        concurrency: env.WORKER_CONCURRENCY,
      },
      // Housekeeping runs one job at a time: the schedulers make one of each per interval anyway.
      {
        queue: maintenanceQueue,
        handlers: [
          createCleanupUploads({ rows, storage }),
          createReconcileUploads({
            rows,
            queue: uploadsQueue,
            stuckAfterMs: env.UPLOAD_STUCK_AFTER_MS,
            onReconciled: (outcome) => jobMetrics.reconciled.inc({ outcome }),
          }),
        ],
        concurrency: 1,
      },
    ],
    logger,
    metrics: jobMetrics,
    reporter: sentry,
    drainTimeoutMs: env.WORKER_DRAIN_TIMEOUT_MS,
    tracer,
  });

  const registry = createHealthRegistry({
    service: 'worker',
    version: config.version,
    timeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
    cacheMs: env.HEALTH_CACHE_MS,
    onResult: metrics.onHealthResult,
  });
  metrics.refreshHealthOnScrape(() => registry.run());
  registry.register('redis', redisCheck(workerRedis), { critical: true });
  registry.register('db', dbCheck(sql), { critical: true });
  registry.register('workers', workersCheck(runtime), { critical: true });
  registry.register('storage', storageCheck(storage), { critical: false });
  registry.register('queues', queuesCheck(queueMetrics), { critical: false });

  const server = createHealthServer({
    registry,
    isReady: lifecycle.isReady,
    readinessChecks: READINESS_CHECKS,
    renderMetrics: () => queueMetrics.render(),
    metricsToken: env.METRICS_TOKEN,
    logger,
  });
  let port: number;
  try {
    port = await listen(server, env.PORT, env.HOST);
  } catch (err) {
    logger.fatal({ err: serializeError(err), host: env.HOST, port: env.PORT }, 'cannot listen');
    await lifecycle.shutdown('startup failed', { exitCode: 1 });
    return;
  }
  // Closed after the drain (hooks run in reverse): probes keep getting 503 while jobs finish.
  lifecycle.onClose('health-server', () => closeHttpServer(server, { forceAfterMs: 1000 }));

  runtime.start();
  lifecycle.onClose('workers', () => runtime.drain());
  const scheduler = startMaintenanceSchedulers(maintenanceQueue, {
    everyMs: env.CLEANUP_EVERY_MS,
    logger,
  });
  lifecycle.onClose('scheduler', () => scheduler.stop());
  lifecycle.handleSignals();
  logger.info({ host: env.HOST, port }, 'worker ready: health server listening');
}

await main();

// Process entry: wires, decides nothing. config → Sentry → logger → wait for the database →
// migration guard → connect Redis, storage, queue → app → listen → signals.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ConfigError, formatConfig } from '@saas/shared/config';
import {
  assertMigrated,
  createDb,
  MigrationsPendingError,
  runMigrations,
  waitForDb,
} from '@saas/shared/db';
import { createHealthRegistry, createHealthRouter } from '@saas/shared/health';
import { closeHttpServer, createLifecycle, installCrashHandlers } from '@saas/shared/lifecycle';
import { createLogger, serializeError } from '@saas/shared/logger';
import {
  createBearerCheck,
  createMetrics,
  initSentry,
  sentryOptionsFromEnv,
} from '@saas/shared/observability';
import { supabaseKeyWarnings } from '@saas/shared/storage';
import { currentTracing, traceLogFields } from '@saas/shared/tracing';
import { createApp } from './app.ts';
import { createConnectionDrain } from './http/connection-drain.ts';
import { apiEnvSchema, loadApiConfig, type ApiConfig } from './config.ts';
import { createApiMetrics } from './metrics.ts';
import { redisReady } from './redis-ready.ts';
import { openResources, READINESS_CHECKS } from './resources.ts';
import { bindSentryRequest } from './sentry-scope.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../infra/supabase/migrations', import.meta.url));

function loadConfigOrExit(): ApiConfig {
  try {
    return loadApiConfig();
  } catch (err) {
    // No logger yet (its level is config): one plain line per problem, no secret values.
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const env = config.env;
  // Already started by instrument.ts (then this returns that handle); started here otherwise.
  // Started by instrument.ts when OTEL_EXPORTER_OTLP_ENDPOINT is set; disabled otherwise.
  const tracing = currentTracing();
  const tracer = tracing.enabled ? tracing.tracer : undefined;
  const sentry = initSentry(
    sentryOptionsFromEnv(env, {
      service: 'api',
      release: config.version,
      openTelemetry: tracing.enabled,
    }),
  );
  const logger = createLogger({
    service: 'api',
    env: env.NODE_ENV,
    version: config.version,
    level: env.LOG_LEVEL,
    ...(tracing.enabled ? { mixin: traceLogFields } : {}),
  });
  const lifecycle = createLifecycle({ logger, timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
  // Crash policy "exit": after an unknown error the process state is suspect (docs/decisions).
  installCrashHandlers({ policy: 'exit', logger, lifecycle });
  lifecycle.onClose('sentry', () => sentry.flush(2000));
  // Registered early so it runs late: the last requests' spans are exported on shutdown.
  lifecycle.onClose('tracing', () => tracing.shutdown());
  logger.info({ config: formatConfig(apiEnvSchema, env).split('\n') }, 'starting api');
  for (const warning of supabaseKeyWarnings(env)) logger.warn(warning);

  const sql = createDb({
    url: env.DATABASE_URL,
    max: env.DATABASE_POOL_MAX,
    prepare: env.DATABASE_PREPARE,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    applicationName: 'api',
    ...(tracer ? { tracer } : {}),
  });
  // Short: by the time this runs the HTTP server has drained, so no query is left to wait for.
  lifecycle.onClose('db', () => sql.end({ timeout: 2 }));
  try {
    await waitForDb(sql, { timeoutMs: env.DATABASE_STARTUP_WAIT_MS, logger });
    if (env.MIGRATE_ON_START) {
      const { applied } = await runMigrations(sql, { dir: MIGRATIONS_DIR, logger });
      logger.info({ applied }, 'migrations applied at start (MIGRATE_ON_START)');
    }
    await assertMigrated(sql, { dir: MIGRATIONS_DIR });
  } catch (err) {
    const fields =
      err instanceof MigrationsPendingError
        ? { pending: err.pending, unknown: err.unknown }
        : { err: serializeError(err) };
    logger.fatal(fields, `refusing to start: ${err instanceof Error ? err.message : String(err)}`);
    await lifecycle.shutdown('startup failed', { exitCode: 1 });
    return;
  }

  const metrics = createMetrics({ service: 'api' });
  const apiMetrics = createApiMetrics(metrics.registry);
  const registry = createHealthRegistry({
    service: 'api',
    version: config.version,
    timeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
    cacheMs: env.HEALTH_CACHE_MS,
    onResult: metrics.onHealthResult,
  });
  metrics.refreshHealthOnScrape(() => registry.run());
  const resources = openResources(config, {
    sql,
    migrationsDir: MIGRATIONS_DIR,
    logger,
    registry,
    onClose: (name, fn) => lifecycle.onClose(name, fn),
    tracer,
  });

  const redisUp = await Promise.all([
    redisReady(resources.redis, 5000),
    redisReady(resources.rateLimitRedis, 5000),
  ]);
  if (!redisUp.every(Boolean)) {
    logger.warn(
      'redis not ready after 5 s; serving anyway (not ready, rate limits per RATE_LIMIT_FAIL_OPEN)',
    );
  }

  const drain = createConnectionDrain();
  const app = createApp({
    config,
    logger,
    metrics: apiMetrics,
    healthRouter: createHealthRouter({
      registry,
      isReady: lifecycle.isReady,
      readinessChecks: READINESS_CHECKS,
      // The full report (check names, durations, errors) with the metrics token only.
      showDetails: createBearerCheck(env.METRICS_TOKEN),
    }),
    metricsHandler: metrics.handler(env.METRICS_TOKEN),
    reporter: {
      captureException: (err, ctx) => sentry.captureException(err, ctx),
      ...(sentry.enabled ? { bindRequest: bindSentryRequest } : {}),
    },
    drain,
    sql,
    redis: resources.rateLimitRedis,
    storage: resources.storage,
    jobs: resources.jobs,
    serializeError,
    tracer,
    dashboardQueues: resources.dashboardQueues,
  });

  const server = createServer(app);
  // Longer than a typical proxy's idle timeout (60 s): the proxy closes first, never us mid-reuse.
  server.keepAliveTimeout = 65_000;
  // Above keepAliveTimeout, so a reused socket is never cut by the headers timer first.
  server.headersTimeout = 66_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(env.PORT, env.HOST, () => resolve());
    });
  } catch (err) {
    logger.fatal({ err: serializeError(err), host: env.HOST, port: env.PORT }, 'cannot listen');
    await lifecycle.shutdown('startup failed', { exitCode: 1 });
    return;
  }
  // Closed first on shutdown: stop accepting, finish in-flight requests, drop idle keep-alives.
  lifecycle.onClose('http-server', () => {
    drain.begin();
    return closeHttpServer(server);
  });
  lifecycle.handleSignals();
  const address = server.address();
  logger.info(
    { host: env.HOST, port: typeof address === 'object' && address ? address.port : env.PORT },
    'api listening',
  );
}

await main();

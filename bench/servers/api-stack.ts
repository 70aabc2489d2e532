// Ours: the API's real middleware stack, wired as api/src/main.ts wires it (createApp with
// openResources: Redis-backed rate limits on the shared local Redis, metrics on a real
// registry, pino-http through the scrubbing logger), in production mode, logging to /dev/null.
//
// The app's only authenticated GET route that validates input with zod also reads the
// database (GET /v1/uploads/:id), which the baselines do not. So one route is added at the
// place of the versioned routes (before the 404 and error tail): GET /v1/bench/uploads/:id,
// guarded by the app's own requireUser and parsed by the app's own parseInput with the
// contract's uploadIdParams, answering the same JSON as the baselines. GET /v1/me (the app's
// route, untouched) is measured too.
import { openSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Router, type Express } from 'express';
import { uploadIdParams } from '@saas/shared/contracts';
import { createDb } from '@saas/shared/db';
import { createHealthRegistry, createHealthRouter } from '@saas/shared/health';
import { createBatchedDestination, createLogger, serializeError } from '@saas/shared/logger';
import { createMetrics, initSentry, sentryOptionsFromEnv } from '@saas/shared/observability';
import { currentTracing, traceLogFields } from '@saas/shared/tracing';
import { createApp } from '../../api/src/app.ts';
import { createTokenVerifier } from '../../api/src/auth/token-verifier.ts';
import { apiEnvSchema, hs256Secret, resolveApiConfig } from '../../api/src/config.ts';
import { requireUser } from '../../api/src/http/auth.ts';
import { createConnectionDrain } from '../../api/src/http/connection-drain.ts';
import { parseInput } from '../../api/src/http/validation.ts';
import { createApiMetrics } from '../../api/src/metrics.ts';
import { redisReady } from '../../api/src/redis-ready.ts';
import { openResources, READINESS_CHECKS } from '../../api/src/resources.ts';
import { bindSentryRequest } from '../../api/src/sentry-scope.ts';
import { announceReady, uploadBody } from './payload.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../infra/supabase/migrations', import.meta.url));

// Parsed without the production refusals (they reject the local S3 server's public keys),
// then resolved as production: HSTS on, dev login off, no stacks, as deployed.
// Empty values count as unset, as the config loader treats them.
const present = Object.entries(process.env).filter(([, v]) => v !== undefined && v !== '');
const env = apiEnvSchema.parse({ ...Object.fromEntries(present), NODE_ENV: 'production' });
const config = resolveApiConfig(env);
// Started by api/src/instrument.ts when the parent preloads it with OTEL_EXPORTER_OTLP_ENDPOINT.
const tracing = currentTracing();
const tracer = tracing.enabled ? tracing.tracer : undefined;
const sentry = initSentry(
  sentryOptionsFromEnv(env, { service: 'api', release: 'bench', openTelemetry: tracing.enabled }),
);
// The default stdout destination (batched: one write(2) per event-loop turn), to /dev/null.
const logger = createLogger({
  service: 'api',
  env: 'production',
  version: 'bench',
  level: env.LOG_LEVEL,
  destination: createBatchedDestination({ fd: openSync('/dev/null', 'w') }),
  ...(tracing.enabled ? { mixin: traceLogFields } : {}),
});
const sql = createDb({
  url: env.DATABASE_URL,
  max: 2,
  applicationName: 'bench-api',
  ...(tracer ? { tracer } : {}),
});
const metrics = createMetrics({ service: 'api' });
const registry = createHealthRegistry({
  service: 'api',
  version: 'bench',
  timeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
  cacheMs: env.HEALTH_CACHE_MS,
  onResult: metrics.onHealthResult,
});
const closers: (() => unknown)[] = [];
const resources = openResources(config, {
  sql,
  migrationsDir: MIGRATIONS_DIR,
  logger,
  registry,
  onClose: (_name, fn) => closers.push(fn),
  tracer,
});
const redisUp = await Promise.all([
  redisReady(resources.redis, 10_000),
  redisReady(resources.rateLimitRedis, 10_000),
]);
if (!redisUp.every(Boolean)) throw new Error('redis not ready within 10 s');

const app = createApp({
  config,
  logger,
  metrics: createApiMetrics(metrics.registry),
  healthRouter: createHealthRouter({
    registry,
    isReady: () => true,
    readinessChecks: READINESS_CHECKS,
  }),
  metricsHandler: metrics.handler(env.METRICS_TOKEN),
  reporter: {
    captureException: (err, ctx) => sentry.captureException(err, ctx),
    ...(sentry.enabled ? { bindRequest: bindSentryRequest } : {}),
  },
  drain: createConnectionDrain(),
  sql,
  redis: resources.rateLimitRedis,
  storage: resources.storage,
  jobs: resources.jobs,
  serializeError,
  tracer,
});
spliceBenchRoute(app);

const server = createServer(app);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  announceReady({
    port: (server.address() as AddressInfo).port,
    sentry: sentry.enabled,
    tracing: tracing.enabled,
  });
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => {
    void (async () => {
      for (const close of closers.reverse()) await close();
      await tracing.shutdown();
      await sql.end({ timeout: 1 });
      process.exit(0);
    })();
  });
});

/** Adds the bench route to the app's router just before its 404 and error handlers. */
function spliceBenchRoute(target: Express): void {
  const secret = hs256Secret(config);
  if (!secret) throw new Error('the bench needs AUTH_JWT_SECRET (HS256)');
  const verifier = createTokenVerifier({
    audience: env.AUTH_JWT_AUDIENCE,
    hs256: { secret, issuer: config.jwtIssuer },
  });
  const routes = Router();
  routes.get('/v1/bench/uploads/:id', requireUser(verifier), (req, res) => {
    const { id } = parseInput(uploadIdParams, req.params, 'params');
    res.json(uploadBody(id));
  });
  target.use(routes);
  // Express 5 keeps the app's layers in order on app.router.stack: move ours (just pushed,
  // last) in front of the not-found and error handlers createApp ends with.
  const stack = (target as unknown as { router: { stack: unknown[] } }).router.stack;
  const layer = stack.pop();
  stack.splice(stack.length - 2, 0, layer);
}

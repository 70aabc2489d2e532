import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { uploadObjectKeys } from '@saas/shared/contracts';
import { createDb, runMigrations, type Db } from '@saas/shared/db';
import { createHealthRegistry, createHealthRouter, type HealthRegistry } from '@saas/shared/health';
import {
  createLogger,
  createMemoryDestination,
  serializeError,
  type MemoryDestination,
} from '@saas/shared/logger';
import { createBearerCheck, createMetrics } from '@saas/shared/observability';
import { createTestDatabase, uniqueId, type TestDatabase } from '@saas/shared/test-support';
import { createApp, type AppDeps } from '../../src/app.ts';
import type { ApiConfig } from '../../src/config.ts';
import { loadTestConfig, testEnv } from './test-config.ts';
import { createConformanceChecker, recordConformance } from './openapi-conformance.ts';
import type { ErrorReporter } from '../../src/http/error-reporter.ts';
import { createConnectionDrain, type ConnectionDrain } from '../../src/http/connection-drain.ts';
import { createApiMetrics } from '../../src/metrics.ts';
import { redisReady } from '../../src/redis-ready.ts';
import { openResources, READINESS_CHECKS, type ApiResources } from '../../src/resources.ts';

export const MIGRATIONS_DIR = fileURLToPath(
  new URL('../../../infra/supabase/migrations', import.meta.url),
);

/** Records what would go to Sentry (the fake Sentry ingest test in lifecycle covers the wire). */
export interface RecordingReporter extends ErrorReporter {
  events: { err: unknown; ctx: Parameters<ErrorReporter['captureException']>[1] }[];
}

export const recordingReporter = (): RecordingReporter => {
  const events: RecordingReporter['events'] = [];
  return { events, captureException: (err, ctx) => events.push({ err, ctx }) };
};

export interface TestApi {
  app: Express;
  config: ApiConfig;
  sql: Db;
  resources: ApiResources;
  registry: HealthRegistry;
  logs: MemoryDestination;
  reporter: RecordingReporter;
  metricsRegistry: ReturnType<typeof createMetrics>['registry'];
  prefix: string;
  /** Readiness flag (what the lifecycle flips first); drain.begin() is the http-server hook's part. */
  shuttingDown: { value: boolean };
  drain: ConnectionDrain;
  close(): Promise<void>;
}

export interface TestApiOptions {
  env?: Record<string, string | undefined>;
  /** Share one database between several apps of one file (created by the caller). */
  db?: { url: string };
  overrides?: Partial<AppDeps>;
}

let checker: ReturnType<typeof createConformanceChecker> | undefined;

/**
 * The real app on the real local services: a fresh migrated database (unless given), a unique
 * Redis prefix for queue and rate-limit keys, the shared S3 bucket, logs captured in memory.
 */
export async function createTestApi(opts: TestApiOptions = {}): Promise<TestApi> {
  let owned: TestDatabase | undefined;
  const db = opts.db ?? (owned = await createTestDatabase());
  const prefix = uniqueId('apitest');
  const config = loadTestConfig(testEnv(db, prefix, opts.env));
  const sql = createDb({
    url: config.env.DATABASE_URL,
    max: config.env.DATABASE_POOL_MAX,
    connectTimeoutMs: 1000,
  });
  if (owned) await runMigrations(sql, { dir: MIGRATIONS_DIR });

  const logs = createMemoryDestination();
  const logger = createLogger({
    service: 'api',
    env: 'test',
    version: 'test',
    level: 'info',
    destination: logs,
  });
  const metrics = createMetrics({ service: 'api' });
  const registry = createHealthRegistry({
    service: 'api',
    version: 'test',
    timeoutMs: 1000,
    cacheMs: 0,
  });
  const hooks: { name: string; fn: () => unknown }[] = [];
  const resources = openResources(config, {
    sql,
    migrationsDir: MIGRATIONS_DIR,
    logger,
    registry,
    onClose: (name, fn) => hooks.push({ name, fn }),
  });
  await waitReady(resources.redis);
  await waitReady(resources.rateLimitRedis);
  const reporter = recordingReporter();
  const shuttingDown = { value: false };
  const drain = createConnectionDrain();
  const app = createApp({
    config,
    logger,
    metrics: createApiMetrics(metrics.registry),
    healthRouter: createHealthRouter({
      registry,
      isReady: () => !shuttingDown.value,
      readinessChecks: READINESS_CHECKS,
      showDetails: createBearerCheck(config.env.METRICS_TOKEN),
    }),
    metricsHandler: metrics.handler(config.env.METRICS_TOKEN),
    reporter,
    drain,
    sql,
    redis: resources.rateLimitRedis,
    storage: resources.storage,
    jobs: resources.jobs,
    serializeError,
    dashboardQueues: [resources.queue],
    ...opts.overrides,
  });
  // Every response any API test receives is checked against the OpenAPI document.
  recordConformance(app, (checker ??= createConformanceChecker()));
  return {
    app,
    config,
    sql,
    resources,
    registry,
    logs,
    reporter,
    metricsRegistry: metrics.registry,
    prefix,
    shuttingDown,
    drain,
    async close() {
      // Leave the shared services as found: this app's jobs and objects go with it.
      if (resources.redis.status === 'ready')
        await resources.queue.obliterate({ force: true }).catch(() => {});
      if (owned) {
        const rows = await sql<
          { id: string; owner_id: string }[]
        >`select id, owner_id from public.uploads`.catch(() => []);
        for (const r of rows) {
          const keys = uploadObjectKeys(r.owner_id, r.id);
          for (const key of [keys.incoming, keys.verified])
            await resources.storage.delete(key).catch(() => {});
        }
      }
      for (let h = hooks.pop(); h; h = hooks.pop()) await h.fn();
      await sql.end({ timeout: 1 });
      await owned?.drop();
    },
  };
}

/** The producer connection refuses commands until it is ready (no offline queue). */
export async function waitReady(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (!(await redisReady(redis, timeoutMs)))
    throw new Error(`redis not ready within ${timeoutMs} ms (${redis.status})`);
}

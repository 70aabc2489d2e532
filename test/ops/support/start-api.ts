import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createDb, runMigrations } from '@saas/shared/db';
import { createHealthRegistry, createHealthRouter } from '@saas/shared/health';
import { closeHttpServer } from '@saas/shared/lifecycle';
import { createLogger, createMemoryDestination, serializeError } from '@saas/shared/logger';
import { createMetrics } from '@saas/shared/observability';
import { createTestDatabase, testServices, uniqueId } from '@saas/shared/test-support';
import { createApp } from '../../../api/src/app.ts';
import { apiConfig, resolveApiConfig } from '../../../api/src/config.ts';
import { createApiMetrics } from '../../../api/src/metrics.ts';
import { openResources, READINESS_CHECKS } from '../../../api/src/resources.ts';

const MIGRATIONS_DIR = fileURLToPath(
  new URL('../../../infra/supabase/migrations', import.meta.url),
);

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/**
 * The real API (createApp, wired as api/src/main.ts wires it) on the real local services: a
 * fresh migrated database, a unique Redis prefix, the shared S3 bucket, listening on a free
 * loopback port. Logs go to memory.
 */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  const db = await createTestDatabase();
  const prefix = uniqueId('opsverify');
  const config = resolveApiConfig(
    apiConfig.load({
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        DATABASE_POOL_MAX: '4',
        REDIS_URL: testServices.redisUrl,
        QUEUE_PREFIX: `${prefix}:bull`,
        RATE_LIMIT_PREFIX: `${prefix}:rl:`,
        STORAGE_DRIVER: 's3',
        STORAGE_BUCKET: testServices.s3.bucket,
        S3_ENDPOINT: testServices.s3.endpoint,
        S3_REGION: testServices.s3.region,
        S3_ACCESS_KEY_ID: testServices.s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: testServices.s3.secretAccessKey,
        S3_FORCE_PATH_STYLE: 'true',
        ...env,
      },
      envFile: false,
      exampleFile: false,
    }),
  );
  const sql = createDb({ url: db.url, max: 4 });
  await runMigrations(sql, { dir: MIGRATIONS_DIR });

  const logger = createLogger({
    service: 'api',
    env: 'test',
    version: 'test',
    level: 'info',
    destination: createMemoryDestination(),
  });
  const metrics = createMetrics({ service: 'api' });
  const registry = createHealthRegistry({
    service: 'api',
    version: 'test',
    timeoutMs: 2000,
    cacheMs: 0,
    onResult: metrics.onHealthResult,
  });
  const hooks: (() => unknown)[] = [];
  const resources = openResources(config, {
    sql,
    migrationsDir: MIGRATIONS_DIR,
    logger,
    registry,
    onClose: (_name, fn) => hooks.push(fn),
  });
  const app = createApp({
    config,
    logger,
    metrics: createApiMetrics(metrics.registry),
    healthRouter: createHealthRouter({
      registry,
      isReady: () => true,
      readinessChecks: READINESS_CHECKS,
    }),
    metricsHandler: metrics.handler(config.env.METRICS_TOKEN),
    reporter: { captureException: () => undefined },
    isShuttingDown: () => false,
    sql,
    redis: resources.redis,
    storage: resources.storage,
    jobs: resources.jobs,
    serializeError,
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await closeHttpServer(server);
      for (let fn = hooks.pop(); fn; fn = hooks.pop()) await fn();
      await sql.end({ timeout: 5 });
      await db.drop();
    },
  };
}

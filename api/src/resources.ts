import type { Redis } from 'ioredis';
import { dbCheck, type Db } from '@saas/shared/db';
import type { HealthRegistry } from '@saas/shared/health';
import type { Logger } from '@saas/shared/logger';
import type { Queue } from 'bullmq';
import { createMaintenanceQueue, createUploadsQueue, type UploadsQueue } from '@saas/shared/queue';
import { createRedis, redisCheck } from '@saas/shared/redis';
import { createStorageFromEnv, storageCheck, type ObjectStorage } from '@saas/shared/storage';
import type { ApiConfig } from './config.ts';
import { migrationsCheck, workerCheck } from './health-checks.ts';
import type { Tracer } from '@saas/shared/tracing';
import { bullmqUploadJobs } from './uploads/queue-jobs.ts';
import type { ProcessUploadJobs } from './uploads/upload-service.ts';

export interface ApiResources {
  /** Queue producer connection; its PING is the `redis` health check. */
  redis: Redis;
  /** Rate-limit counters (auto-pipelined). */
  rateLimitRedis: Redis;
  storage: ObjectStorage;
  queue: UploadsQueue;
  jobs: ProcessUploadJobs;
  /** What the queue dashboard shows (empty unless QUEUE_DASHBOARD_ENABLED). */
  dashboardQueues: Queue[];
}

/** Checks GET /health/ready requires: the critical dependencies and the schema. */
export const READINESS_CHECKS = ['db', 'redis', 'migrations'] as const;

/**
 * Opens the API's connections after the database (opened and awaited by main), registering
 * each one's health check and close hook where it is created. Close hooks run in reverse:
 * queue, storage, redis — then whatever main registered before (db, Sentry).
 */
export function openResources(
  config: ApiConfig,
  ctx: {
    sql: Db;
    migrationsDir: string;
    logger: Logger;
    registry: HealthRegistry;
    onClose: (name: string, fn: () => unknown) => void;
    /** Tracing on: S3 calls and the enqueue get spans. */
    tracer?: Tracer | undefined;
  },
): ApiResources {
  const env = config.env;
  const { registry, onClose } = ctx;
  registry.register('db', dbCheck(ctx.sql), { critical: true });
  registry.register('migrations', migrationsCheck(ctx.sql, ctx.migrationsDir), { critical: true });

  // Producer connections (no offline queue: fail fast → 503 / fail open); the API runs no
  // blocking commands. The queue's is the readiness check; the rate limiter gets its own with
  // auto-pipelining: one EVALSHA per request, batched per event-loop tick under load, saves a
  // third of the limiter's cost — kept off the queue's connection, whose scripts BullMQ owns.
  const redis = createRedis(env.REDIS_URL, {
    role: 'producer',
    connectionName: 'api',
    logger: ctx.logger,
  });
  onClose('redis', () => redis.quit().catch(() => redis.disconnect()));
  registry.register('redis', redisCheck(redis), { critical: true });
  const rateLimitRedis = createRedis(env.REDIS_URL, {
    role: 'producer',
    connectionName: 'api:rate-limit',
    logger: ctx.logger,
  });
  // ioredis reads this option per command, so setting it on the created client takes effect.
  rateLimitRedis.options.enableAutoPipelining = true;
  onClose('redis-rate-limit', () => rateLimitRedis.quit().catch(() => rateLimitRedis.disconnect()));

  const storage = createStorageFromEnv(env, { tracer: ctx.tracer });
  onClose('storage', () => storage.close());
  registry.register('storage', storageCheck(storage), { critical: false });

  const queue = createUploadsQueue(redis, { prefix: env.QUEUE_PREFIX });
  // Without a listener BullMQ prints every connection error to the console. The connection's
  // outages are already logged by createRedis (once per outage, not once per retry).
  queue.on('error', () => {});
  onClose('queue', () => queue.close());
  registry.register('worker', workerCheck(queue), { critical: false });

  // The dashboard also shows the housekeeping queue (the worker's schedulers fill it).
  const dashboardQueues: Queue[] = [];
  if (env.QUEUE_DASHBOARD_ENABLED) {
    const maintenance = createMaintenanceQueue(redis, { prefix: env.QUEUE_PREFIX });
    maintenance.on('error', () => {});
    onClose('maintenance-queue', () => maintenance.close());
    dashboardQueues.push(queue, maintenance);
  }

  return {
    redis,
    rateLimitRedis,
    storage,
    queue,
    jobs: bullmqUploadJobs(queue, redis, 3000, ctx.tracer),
    dashboardQueues,
  };
}

import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createDb, runMigrations, type Db } from '@saas/shared/db';
import { startFakeSentryIngest, type FakeSentryIngest } from '@saas/shared/observability';
import { QUEUES } from '@saas/shared/queue';
import {
  createTestDatabase,
  startPrivateRedis,
  testServices,
  type PrivateRedis,
  type TestDatabase,
  testS3Env,
} from '@saas/shared/test-support';
import { signToken } from '../../bench/lib/token.ts';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';
import { say } from './progress.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { startThrottleProxy, type ThrottleProxy } from './throttle-proxy.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../infra/supabase/migrations', import.meta.url));

/** Per-user upload-creation limit the shared-rate-limit scenario checks. */
export const UPLOADS_LIMIT = 20;

/**
 * Test instrumentation on the suite's own database: every status change of an upload is
 * recorded, so "ready exactly once" is counted from the database itself, not from logs.
 */
const TRANSITIONS_SQL = `
create table chaos_transitions (
  id bigserial primary key,
  upload_id uuid not null,
  old_status text,
  new_status text,
  at timestamptz not null default clock_timestamp()
);
create function chaos_record_transition() returns trigger language plpgsql as $$
begin
  if new.status is distinct from old.status then
    insert into chaos_transitions (upload_id, old_status, new_status) values (new.id, old.status, new.status);
  end if;
  return new;
end $$;
create trigger chaos_transitions after update on public.uploads
  for each row execute function chaos_record_transition();
`;

export interface ChaosContext {
  redis: PrivateRedis;
  pg: PrivatePostgres;
  db: TestDatabase;
  sql: Db;
  prefix: string;
  /** Producer-side queue on the private Redis: forced failures, final counts. */
  queue: Queue;
  sentry: FakeSentryIngest;
  s3Throttle: ThrottleProxy;
  /**
   * Between every process and the S3 server (the workers' reads pass the throttle first):
   * the storage-outage scenario cuts it. Browsers' signed URLs go to the S3 server directly.
   */
  s3Fault: FaultProxy;
  /** Between every API/worker process and the private PostgreSQL and Redis (the suite's own checks go direct). */
  pgFault: FaultProxy;
  redisFault: FaultProxy;
  apiEnv(failOpen: boolean): Record<string, string>;
  workerEnv(): Record<string, string>;
  tokenFor(user: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The suite's own infrastructure: a private redis-server (AOF on) and a private PostgreSQL
 * cluster (so stopping them breaks no other suite), a migrated database on it, a queue prefix,
 * a fake Sentry ingest server, and a throttling proxy in front of the shared S3 server for the
 * workers' reads. The shared S3 server is used as it is (never restarted).
 */
/**
 * What createContext started so far, newest last. Module-level so a SIGTERM arriving while the
 * context is still being built stops what already runs (closeContext).
 */
const cleanups: (() => Promise<unknown>)[] = [];

/** Stops and removes everything createContext started (idempotent). */
export async function closeContext(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
}

export async function createContext(): Promise<ChaosContext> {
  const close = closeContext;
  try {
    say('starting a private redis-server and a private PostgreSQL cluster');
    // Each registered as soon as it runs: the other may still be starting when a signal comes.
    const [redis, pg] = await Promise.all([
      startPrivateRedis().then((r) => {
        cleanups.push(() => r.destroy());
        return r;
      }),
      startPrivatePostgres().then((p) => {
        cleanups.push(() => p.destroy());
        return p;
      }),
    ]);
    say(
      `private redis-server on 127.0.0.1:${redis.port}, private PostgreSQL on 127.0.0.1:${pg.port} (postmaster pid ${pg.pid() ?? '?'})`,
    );
    const db = await createTestDatabase(pg.adminUrl);
    const sql = createDb({ url: db.url, max: 3, applicationName: 'chaos' });
    cleanups.push(() => sql.end({ timeout: 2 }));
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.unsafe(TRANSITIONS_SQL);
    const sentry = await startFakeSentryIngest();
    cleanups.push(() => sentry.close());
    const s3Port = Number(new URL(testServices.s3.endpoint).port);
    const pgFault = await startFaultProxy(pg.port);
    cleanups.push(() => pgFault.close());
    const redisFault = await startFaultProxy(redis.port);
    cleanups.push(() => redisFault.close());
    const viaProxy = (url: string, proxy: FaultProxy): string => {
      const u = new URL(url);
      u.port = String(proxy.port);
      return u.toString();
    };
    const s3Fault = await startFaultProxy(s3Port);
    cleanups.push(() => s3Fault.close());
    const s3Throttle = await startThrottleProxy(s3Fault.port, 150_000);
    cleanups.push(() => s3Throttle.close());
    const prefix = 'chaos';
    const queueRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.uploads, { connection: queueRedis, prefix });
    queue.on('error', () => {});
    cleanups.push(async () => {
      await queue.close();
      queueRedis.disconnect();
    });

    const secret = randomBytes(32).toString('base64url');
    const issuer = 'chaos';
    const common = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      // Through the fault proxies: a stop of the service is seen as before (connections
      // close), and the slow-dependencies scenario adds latency there.
      DATABASE_URL: viaProxy(db.url, pgFault),
      DATABASE_POOL_MAX: '5',
      REDIS_URL: viaProxy(redis.url, redisFault),
      QUEUE_PREFIX: prefix,
      SENTRY_DSN: sentry.dsn,
      SENTRY_ENVIRONMENT: 'chaos',
      ...testS3Env,
      HEALTH_CACHE_MS: '250',
      HEALTH_CHECK_TIMEOUT_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '15000',
    };
    return {
      redis,
      pg,
      db,
      sql,
      prefix,
      queue,
      sentry,
      s3Throttle,
      s3Fault,
      pgFault,
      redisFault,
      apiEnv: (failOpen) => ({
        ...common,
        // The API's own calls (head, delete, health) go through the fault proxy; the URLs it
        // signs for browsers name the S3 server itself.
        S3_ENDPOINT: s3Fault.url,
        S3_PUBLIC_ENDPOINT: testS3Env.S3_ENDPOINT!,
        RATE_LIMIT_PREFIX: `${prefix}:rl:`,
        // Every client here is 127.0.0.1: the per-IP limit stays out of the way of the load;
        // the per-user limit on creating uploads is the one checked across replicas.
        RATE_LIMIT_MAX: '10000000',
        RATE_LIMIT_LOGIN_MAX: '10000000',
        RATE_LIMIT_UPLOADS_MAX: String(UPLOADS_LIMIT),
        RATE_LIMIT_FAIL_OPEN: String(failOpen),
        AUTH_JWT_SECRET: secret,
        AUTH_JWT_ISSUER: issuer,
        // The pii scenario signs in through the dev login (every API here listens on loopback).
        DEV_LOGIN_ENABLED: 'true',
      }),
      workerEnv: () => ({
        ...common,
        // Reads go through the throttle so each job lasts about a second.
        S3_ENDPOINT: s3Throttle.url,
        WORKER_CONCURRENCY: '4',
        // Short locks: a job whose worker was SIGKILLed runs again within seconds.
        WORKER_LOCK_DURATION_MS: '5000',
        WORKER_STALLED_INTERVAL_MS: '2000',
        WORKER_DRAIN_TIMEOUT_MS: '10000',
      }),
      tokenFor: (user) => signToken({ secret, issuer, sub: user, expiresInS: 3600 }),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

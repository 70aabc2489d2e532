import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { DefaultJobOptions } from 'bullmq';
import { createDb, runMigrations, type Db } from '@saas/shared/db';
import { createMaintenanceQueue, createUploadsQueue, type UploadsQueue } from '@saas/shared/queue';
import { createS3Storage, type ObjectStorage } from '@saas/shared/storage';
import {
  createTestDatabase,
  sleep,
  spawnNode,
  testServices,
  uniqueId,
  waitUntil,
  type SpawnedProcess,
  type TestDatabase,
  testS3Env,
} from '@saas/shared/test-support';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MIGRATIONS_DIR = fileURLToPath(
  new URL('../../../infra/supabase/migrations', import.meta.url),
);

// The shared polling helper, under the name these tests use.
export const waitFor = waitUntil;
export { sleep };

export interface WorkerTestContext {
  db: TestDatabase;
  sql: Db;
  prefix: string;
  redisUrl: string;
  /** Producer-side connection and queue, as the API has them. */
  redis: Redis;
  queue: UploadsQueue;
  /** Direct to the real S3 server (not through any proxy). */
  storage: ObjectStorage;
  close(): Promise<void>;
}

/** A fresh database (migrated), a unique queue prefix, a producer queue and a storage client. */
export async function setupWorkerTest(
  opts: { redisUrl?: string; jobOptions?: DefaultJobOptions } = {},
): Promise<WorkerTestContext> {
  const db = await createTestDatabase();
  const sql = createDb({ url: db.url, max: 4 });
  await runMigrations(sql, { dir: MIGRATIONS_DIR });
  const redisUrl = opts.redisUrl ?? testServices.redisUrl;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const prefix = uniqueId('wq');
  const queue = createUploadsQueue(redis, {
    prefix,
    jobOptions: opts.jobOptions ?? { attempts: 3, backoff: { type: 'fixed', delay: 300 } },
  });
  // Connection errors are expected in the outage test; without a listener BullMQ prints them.
  queue.on('error', () => {});
  const s3 = testServices.s3;
  const storage = createS3Storage({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
  });
  return {
    db,
    sql,
    prefix,
    redisUrl,
    redis,
    queue,
    storage,
    async close() {
      // Everything this file put in Redis goes: both queues, their schedulers and job data.
      const maintenance = createMaintenanceQueue(redis, { prefix });
      await Promise.allSettled([
        queue.obliterate({ force: true }),
        maintenance.obliterate({ force: true }),
      ]);
      await Promise.allSettled([queue.close(), maintenance.close()]);
      redis.disconnect();
      await storage.close();
      await sql.end({ timeout: 5 });
      await db.drop();
    },
  };
}

/** Env of a worker process for this test: its database, Redis, prefix and storage endpoint. */
export function workerEnv(
  ctx: WorkerTestContext,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: ctx.db.url,
    DATABASE_POOL_MAX: '5',
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: ctx.prefix,
    ...testS3Env,
    HEALTH_CACHE_MS: '0',
    HEALTH_CHECK_TIMEOUT_MS: '1000',
    ...overrides,
  };
}

export interface RunningWorker extends SpawnedProcess {
  port: number;
  get(path: string): Promise<{ status: number; body: unknown; text: string }>;
  /** The JSON log lines so far. */
  logs(): Record<string, unknown>[];
}

/** Spawns worker/src/main.ts (Sentry preload included, as in production) and waits until it is ready. */
export async function startWorker(
  env: Record<string, string>,
  opts: { extraImports?: string[]; readyTimeoutMs?: number } = {},
): Promise<RunningWorker> {
  const imports = ['./worker/src/instrument.ts', ...(opts.extraImports ?? [])].flatMap((m) => [
    '--import',
    m,
  ]);
  const child = spawnNode('worker/src/main.ts', { cwd: REPO_ROOT, nodeArgs: imports, env });
  let line: string;
  try {
    line = await child.waitForLine(/worker ready/, opts.readyTimeoutMs ?? 20000);
  } catch (err) {
    await child.kill();
    throw err;
  }
  const port = (JSON.parse(line) as { port: number }).port;
  return Object.assign(child, {
    port,
    async get(path: string) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Prometheus text.
      }
      return { status: res.status, body, text };
    },
    logs() {
      return child.lines.flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
    },
  });
}

/** Log lines (of any number of processes) with this message, optionally for one job. */
export const linesWith = (
  workers: readonly RunningWorker[],
  msg: string | RegExp,
  jobId?: string,
) =>
  workers.flatMap((w) =>
    w.logs().filter((l) => {
      const m = String(l.msg);
      return (
        (typeof msg === 'string' ? m === msg : msg.test(m)) &&
        (jobId === undefined || l.jobId === jobId)
      );
    }),
  );

export interface UploadRow {
  id: string;
  status: string;
  sha256: string | null;
  detected_type: string | null;
  status_reason: string | null;
  size_bytes: string | null;
  updated_at: Date;
  processed_at: Date | null;
}

export const readUpload = async (sql: Db, id: string): Promise<UploadRow | undefined> => {
  const [row] = await sql<UploadRow[]>`
    select id, status, sha256, detected_type, status_reason, size_bytes, updated_at, processed_at
    from public.uploads where id = ${id}`;
  return row;
};

/** Waits until the upload's status is one of `statuses` and returns the row. */
export const waitForStatus = (
  sql: Db,
  id: string,
  statuses: readonly string[],
  timeoutMs = 15000,
): Promise<UploadRow> =>
  waitFor(
    `upload ${id} to be ${statuses.join('|')}`,
    async () => {
      const row = await readUpload(sql, id);
      return row && statuses.includes(row.status) ? row : undefined;
    },
    timeoutMs,
  );

/**
 * An upload as the API leaves it after `complete`: the row (status `uploaded` by default) and
 * the object, PUT through a signed URL like a browser does.
 */
export async function createUpload(
  ctx: WorkerTestContext,
  body: Buffer,
  opts: {
    contentType: string;
    /** The upload id (default: a new UUID), e.g. to match a job enqueued before the row existed. */
    id?: string;
    declaredSize?: number;
    status?: string;
    expiresAt?: Date;
    /** Backdates the row (only an insert can: an update trigger sets updated_at = now()). */
    updatedAt?: Date;
    putObject?: boolean;
  },
): Promise<{ id: string; objectKey: string }> {
  const id = opts.id ?? randomUUID();
  const ownerId = randomUUID();
  const objectKey = `uploads/${ownerId}/${id}`;
  if (opts.putObject ?? true) {
    const signed = await ctx.storage.createUploadUrl(objectKey, {
      contentType: opts.contentType,
      size: body.length,
      expiresInS: 60,
    });
    const res = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body });
    if (!res.ok) throw new Error(`PUT to S3 failed: ${res.status}`);
  }
  await ctx.sql`
    insert into public.uploads (id, owner_id, object_key, filename, content_type, size_bytes, status, request_id, expires_at, completed_at, updated_at)
    values (${id}, ${ownerId}, ${objectKey}, 'file', ${opts.contentType}, ${opts.declaredSize ?? body.length},
            ${opts.status ?? 'uploaded'}, 'req-test', ${opts.expiresAt ?? new Date(Date.now() + 3600_000)},
            ${opts.status === 'pending' ? null : (opts.updatedAt ?? new Date())},
            coalesce(${opts.updatedAt ?? null}::timestamptz, now()))`;
  return { id, objectKey };
}

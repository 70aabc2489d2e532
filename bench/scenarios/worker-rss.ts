import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { uploadObjectKeys } from '@saas/shared/contracts';
import { createDb, runMigrations, type Db } from '@saas/shared/db';
import { createUploadsQueue, enqueueProcessUpload } from '@saas/shared/queue';
import type { ObjectStorage } from '@saas/shared/storage';
import {
  createTestDatabase,
  spawnNode,
  type SpawnedProcess,
  type TestDatabase,
  testS3Env,
  makePng,
  pngLikeStream,
} from '@saas/shared/test-support';
import { REPO_ROOT, rssBytes, stopProcess } from '../lib/child-process.ts';
import { progress, sleep, waitUntil } from '../lib/progress.ts';
import { benchStorage, services } from '../lib/services.ts';
import { median, round } from '../lib/stats.ts';
import type { BenchOptions, ScenarioReport } from '../lib/types.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../infra/supabase/migrations', import.meta.url));
const MiB = 1024 * 1024;

/** PUTs `size` bytes to a signed URL from a generated stream (never held in memory). */
async function putStream(storage: ObjectStorage, key: string, size: number): Promise<void> {
  const signed = await storage.createUploadUrl(key, {
    contentType: 'image/png',
    size,
    expiresInS: 3600,
  });
  await new Promise<void>((resolve, reject) => {
    const req = request(signed.url, {
      method: 'PUT',
      headers: { ...signed.headers, 'Content-Length': String(size) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve()
          : reject(new Error(`PUT of ${size} bytes answered ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    pngLikeStream(size).pipe(req);
  });
}

async function insertUploaded(
  sql: Db,
  owner: string,
  key: string,
  id: string,
  size: number,
): Promise<void> {
  await sql`
    insert into public.uploads (id, owner_id, object_key, filename, content_type, size_bytes, status, request_id, expires_at, completed_at)
    values (${id}, ${owner}, ${key}, 'big.png', 'image/png', ${size}, 'uploaded', 'bench-rss',
            ${new Date(Date.now() + 3600_000)}, ${new Date()})`;
}

async function statusOf(sql: Db, id: string): Promise<string | undefined> {
  const [row] = await sql<{ status: string }[]>`select status from public.uploads where id = ${id}`;
  return row?.status;
}

/**
 * RSS growth of the real worker process (worker/src/main.ts, Sentry preloaded) while its
 * process-upload job streams one large object from the local S3 server: hashing it, counting
 * it and sniffing its first bytes. Baseline: the worker's RSS at rest after a small warm-up
 * upload (modules loaded, pools open); growth: peak RSS during the big job minus that.
 */
export async function workerRssScenario(opts: BenchOptions): Promise<ScenarioReport> {
  const size = opts.rssObjectBytes;
  const storage = benchStorage();
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
  const prefix = `benchrss${Date.now().toString(36)}`;
  const queue = createUploadsQueue(redis, { prefix });
  const bigId = randomUUID();
  // The worker derives the keys from (owner, upload id), as the API does when it signs the PUT.
  const owner = randomUUID();
  const bigKeys = uploadObjectKeys(owner, bigId);
  const bigKey = bigKeys.incoming;
  const warmId = randomUUID();
  const warmKeys = uploadObjectKeys(owner, warmId);
  const warmKey = warmKeys.incoming;
  let db: TestDatabase | undefined;
  let sql: Db | undefined;
  let worker: SpawnedProcess | undefined;
  try {
    db = await createTestDatabase();
    sql = createDb({ url: db.url, max: 2 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });

    progress(`rss: streaming a ${Math.round(size / MiB)} MiB object into the local S3 server`);
    const t0 = Date.now();
    await putStream(storage, bigKey, size);
    progress(`rss: object stored in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await insertUploaded(sql, owner, bigKey, bigId, size);
    const warm = makePng(64, 64);
    const warmUrl = await storage.createUploadUrl(warmKey, {
      contentType: 'image/png',
      size: warm.length,
      expiresInS: 600,
    });
    const put = await fetch(warmUrl.url, { method: 'PUT', headers: warmUrl.headers, body: warm });
    if (!put.ok) throw new Error(`warm-up PUT answered ${put.status}`);
    await insertUploaded(sql, owner, warmKey, warmId, warm.length);

    worker = spawnNode('worker/src/main.ts', {
      cwd: REPO_ROOT,
      nodeArgs: [
        ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        '--import',
        './worker/src/instrument.ts',
      ],
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: db.url,
        REDIS_URL: services.redisUrl,
        QUEUE_PREFIX: prefix,
        ...testS3Env,
        SENTRY_DSN: '',
      },
    });
    await worker.waitForLine(/worker ready/, 60_000);
    const pid = worker.pid;

    await enqueueProcessUpload(queue, { uploadId: warmId, requestId: 'bench-rss-warm' });
    await waitUntil(
      'the warm-up upload to be processed',
      async () => (await statusOf(sql!, warmId)) === 'ready',
      60_000,
    );
    await sleep(2000);
    const rest: number[] = [];
    for (let i = 0; i < 10; i++) {
      rest.push(await rssBytes(pid));
      await sleep(100);
    }
    const baseline = median(rest);
    progress(
      `rss: worker pid ${pid} at rest: ${round(baseline / MiB)} MiB; enqueueing the big object`,
    );

    let peak = baseline;
    let samples = 0;
    const started = Date.now();
    await enqueueProcessUpload(queue, { uploadId: bigId, requestId: 'bench-rss' });
    let status: string | undefined;
    let lastReport = Date.now();
    for (;;) {
      peak = Math.max(peak, await rssBytes(pid));
      samples += 1;
      status = await statusOf(sql, bigId);
      if (status !== 'uploaded') break;
      if (Date.now() - started > 15 * 60_000)
        throw new Error('the big upload was not processed within 15 min');
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        progress(
          `rss: processing… ${Math.round((Date.now() - started) / 1000)} s, peak growth so far ${round((peak - baseline) / MiB)} MiB`,
        );
      }
      await sleep(100);
    }
    const seconds = (Date.now() - started) / 1000;
    const growthMiB = round((peak - baseline) / MiB, 1);
    progress(
      `rss: ${status} after ${seconds.toFixed(1)} s; peak ${round(peak / MiB)} MiB, growth ${growthMiB} MiB`,
    );
    if (status !== 'ready') throw new Error(`the big upload ended ${status}, expected ready`);
    const figures = {
      'worker.rssGrowthMiB': growthMiB,
      'worker.rssBaselineMiB': round(baseline / MiB, 1),
      'worker.rssPeakMiB': round(peak / MiB, 1),
      'worker.rssObjectMiB': round(size / MiB, 0),
      'worker.rssJobSeconds': round(seconds, 1),
    };
    return {
      id: 'rss',
      title: 'Worker memory: process-upload on a large object',
      method: [
        `A ${round(size / MiB, 0)} MiB object (PNG header, random filler) is streamed into the local S3 server through a signed PUT — generated 1 MiB at a time, never held in memory — and its row inserted as \`uploaded\`.`,
        'The real worker process (`node --import ./worker/src/instrument.ts worker/src/main.ts`, default settings) runs one small warm-up upload first; its RSS at rest (median of 10 samples) is the baseline. Then the big object’s `process-upload` job runs: one pass over the stream (SHA-256, size, first 4100 bytes for type sniffing), row → `ready`.',
        'RSS of the worker pid is read from /proc every 100 ms until the row is finished; growth = peak − baseline. The object and the row are deleted afterwards.',
      ],
      table: {
        header: ['object', 'RSS at rest', 'peak RSS', 'growth', 'job time', 'samples', 'outcome'],
        rows: [
          [
            `${round(size / MiB, 0)} MiB`,
            `${round(baseline / MiB)} MiB`,
            `${round(peak / MiB)} MiB`,
            `${growthMiB} MiB`,
            `${seconds.toFixed(1)} s (${round(size / MiB / seconds, 0)} MiB/s)`,
            String(samples),
            status,
          ],
        ],
      },
      figures,
      goals: [
        {
          key: 'worker.rssGrowthMiB',
          label: `Worker RSS growth on a ${round(size / MiB, 0)} MiB object`,
          op: '<=',
          target: 64,
          observed: growthMiB,
        },
      ],
      notes: [
        `**Why it stays low.** Nothing is buffered whole: the job holds one chunk plus the first 4100 bytes. What used to grow was socket buffers already read and hashed but not yet collected: Node allocates each incoming chunk outside the JS heap, and a job that hashes and drops them allocates almost nothing on the heap, so V8 collected only when that external memory had grown by its 64 MiB soft limit — 75–112 MiB of growth whatever the object's size (64 MiB to 1 GiB). process-upload now runs V8's minor collection every 16 MiB read (worker/src/uploads/read-buffer-release.ts; ~1 ms each, ~64 per GiB), which frees them as it goes.`,
        ...(growthMiB > 64
          ? [
              `**Missed in this run** by ${round(growthMiB - 64)} MiB: check that the worker found the collector (it is taken at runtime; \`node --expose-gc\` provides it too).`,
            ]
          : []),
      ],
    };
  } finally {
    if (worker) await stopProcess(worker, 10_000);
    await Promise.allSettled(
      [bigKeys, warmKeys].flatMap((k) => [k.incoming, k.verified]).map((k) => storage.delete(k)),
    );
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    redis.disconnect();
    await storage.close();
    await sql?.end({ timeout: 2 });
    await db?.drop();
  }
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createMaintenanceQueue,
  enqueueProcessUpload,
  type MaintenanceQueue,
} from '@saas/shared/queue';
import {
  createUpload,
  linesWith,
  readUpload,
  setupWorkerTest,
  startWorker,
  waitFor,
  workerEnv,
  type RunningWorker,
  type WorkerTestContext,
} from './support/harness.ts';
import { makePng } from '@saas/shared/test-support';

const JOBS_COUNT = 200;

describe('several worker processes on one queue', () => {
  let ctx: WorkerTestContext;
  let maintenance: MaintenanceQueue;
  let workers: RunningWorker[] = [];

  beforeAll(async () => {
    ctx = await setupWorkerTest();
    maintenance = createMaintenanceQueue(ctx.redis, { prefix: ctx.prefix });
    const env = workerEnv(ctx, { WORKER_CONCURRENCY: '5', CLEANUP_EVERY_MS: '1000' });
    workers = await Promise.all([startWorker(env), startWorker(env)]);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await maintenance?.close();
    await ctx?.close();
  });

  it(`completes each of ${JOBS_COUNT} jobs exactly once across two workers`, async () => {
    const png = makePng(4, 4);
    const ids: string[] = [];
    for (let i = 0; i < JOBS_COUNT; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, JOBS_COUNT - i) }, () =>
          createUpload(ctx, png, { contentType: 'image/png' }),
        ),
      );
      ids.push(...batch.map((u) => u.id));
    }
    for (const [i, id] of ids.entries())
      await enqueueProcessUpload(ctx.queue, { uploadId: id, requestId: `req-${i}` });

    await waitFor(
      'every job to complete',
      async () => (await ctx.queue.getJobCounts('completed')).completed === JOBS_COUNT,
      60000,
      250,
    );
    const [counted] = await ctx.sql<{ ready: number }[]>`
      select count(*)::int as ready from public.uploads where status = 'ready' and id = any(${ctx.sql.array(ids)}::uuid[])`;
    expect(counted?.ready).toBe(JOBS_COUNT);

    await waitFor(
      'completion lines',
      () =>
        linesWith(workers, 'job completed').filter((l) => ids.includes(String(l.jobId))).length >=
        JOBS_COUNT,
    );
    const perJob = (msg: string): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const l of linesWith(workers, msg))
        counts.set(String(l.jobId), (counts.get(String(l.jobId)) ?? 0) + 1);
      return counts;
    };
    for (const msg of ['job started', 'job completed', 'upload marked ready']) {
      const counts = perJob(msg);
      expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
    }
    // Both processes shared the work.
    for (const w of workers) expect(linesWith([w], 'job completed').length).toBeGreaterThan(0);
  });

  it('runs the cleanup scheduler once for the fleet: expired pending uploads go, row and object', async () => {
    // Both workers registered the same schedulers: Redis keeps one per housekeeping job.
    await waitFor(
      'scheduler registration',
      () => linesWith(workers, 'job scheduler registered').length === 2,
    );
    expect((await maintenance.getJobSchedulers()).map((s) => s.key).sort()).toEqual([
      'cleanup-uploads',
      'reconcile-uploads',
    ]);

    const past = new Date(Date.now() - 60_000);
    const body = makePng(4, 4);
    const expired = await createUpload(ctx, body, {
      contentType: 'image/png',
      status: 'pending',
      expiresAt: past,
    });
    const expiredNoObject = await createUpload(ctx, body, {
      contentType: 'image/png',
      status: 'pending',
      expiresAt: past,
      putObject: false,
    });
    const fresh = await createUpload(ctx, body, { contentType: 'image/png', status: 'pending' });
    const expiredButUploaded = await createUpload(ctx, body, {
      contentType: 'image/png',
      status: 'uploaded',
      expiresAt: past,
    });

    await waitFor(
      'expired uploads to be removed',
      async () =>
        !(await readUpload(ctx.sql, expired.id)) &&
        !(await readUpload(ctx.sql, expiredNoObject.id)),
    );
    expect(await ctx.storage.head(expired.objectKey)).toBeNull();
    expect((await readUpload(ctx.sql, fresh.id))?.status).toBe('pending');
    expect(await ctx.storage.head(fresh.objectKey)).not.toBeNull();
    expect((await readUpload(ctx.sql, expiredButUploaded.id))?.status).toBe('uploaded');
    const runs = linesWith(workers, 'expired pending uploads removed');
    expect(runs.length).toBeGreaterThan(0);
    for (const l of runs)
      expect(l).toMatchObject({
        queue: 'maintenance',
        jobName: 'cleanup-uploads',
        requestId: expect.any(String),
      });
  });
});

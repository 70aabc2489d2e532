import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { enqueueProcessUpload } from '@saas/shared/queue';
import { startPrivateRedis, type PrivateRedis, makePng } from '@saas/shared/test-support';
import {
  createUpload,
  linesWith,
  readUpload,
  setupWorkerTest,
  sleep,
  startWorker,
  waitFor,
  waitForStatus,
  workerEnv,
  type RunningWorker,
  type WorkerTestContext,
} from './support/harness.ts';

// Stopping Redis needs a Redis of the test's own: the shared one serves every other suite.
describe('Redis going away and coming back', () => {
  let redis: PrivateRedis;
  let ctx: WorkerTestContext;
  let worker: RunningWorker;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    ctx = await setupWorkerTest({ redisUrl: redis.url });
    worker = await startWorker(workerEnv(ctx, { WORKER_CONCURRENCY: '4' }));
  });

  afterAll(async () => {
    await worker?.kill();
    await ctx?.close();
    await redis?.destroy();
  });

  it('survives without a restart: ready is 503 while Redis is down, then the backlog drains', async () => {
    const png = makePng(4, 4);
    const before = await createUpload(ctx, png, { contentType: 'image/png' });
    await enqueueProcessUpload(ctx.queue, { uploadId: before.id, requestId: 'req-before' });
    await waitForStatus(ctx.sql, before.id, ['ready']);
    expect((await worker.get('/health/ready')).status).toBe(200);

    // The backlog: jobs that fall due while Redis is away (delayed by 1 s, Redis stops now).
    const backlog = await Promise.all(
      Array.from({ length: 10 }, () => createUpload(ctx, png, { contentType: 'image/png' })),
    );
    for (const [i, u] of backlog.entries()) {
      await ctx.queue.add(
        'process-upload',
        { uploadId: u.id, requestId: `req-backlog-${i}` },
        { jobId: u.id, delay: 1000 },
      );
    }
    await redis.stop();
    try {
      const down = await waitFor('readiness to fail', async () => {
        const r = await worker.get('/health/ready');
        return r.status === 503 ? r : undefined;
      });
      expect(down.body).toMatchObject({ ready: false, checks: { redis: { status: 'fail' } } });
      expect((await worker.get('/health/live')).status).toBe(200);
      expect((await worker.get('/health')).status).toBe(503);
      await sleep(4000);
      expect((await worker.get('/health/ready')).status).toBe(503);
      expect(worker.child.exitCode).toBeNull();
      // Nothing of the backlog could run meanwhile.
      for (const u of backlog) expect((await readUpload(ctx.sql, u.id))?.status).toBe('uploaded');
    } finally {
      await redis.start();
    }
    for (const u of backlog) {
      expect(
        (await waitForStatus(ctx.sql, u.id, ['ready', 'rejected', 'failed'], 30000)).status,
      ).toBe('ready');
    }
    await waitFor(
      'readiness to recover',
      async () => (await worker.get('/health/ready')).status === 200,
    );
    expect(worker.child.exitCode).toBeNull();
    expect(linesWith([worker], 'starting worker')).toHaveLength(1);
  });
});

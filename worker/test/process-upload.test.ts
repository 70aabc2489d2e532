import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JOBS } from '@saas/shared/queue';
import { enqueueProcessUpload } from '@saas/shared/queue';
import { testServices, makePdf, makePng } from '@saas/shared/test-support';
import {
  createUpload,
  linesWith,
  readUpload,
  setupWorkerTest,
  startWorker,
  waitFor,
  waitForStatus,
  workerEnv,
  type RunningWorker,
  type WorkerTestContext,
} from './support/harness.ts';
import { startS3Proxy, type S3Proxy } from './support/s3-proxy.ts';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

// One worker process for the file; its storage goes through a proxy in front of the real S3
// server, so a test can make storage fail without mocking it.
describe('process-upload (real worker process, Redis, PostgreSQL, S3)', () => {
  let ctx: WorkerTestContext;
  let proxy: S3Proxy;
  let worker: RunningWorker;

  beforeAll(async () => {
    ctx = await setupWorkerTest();
    proxy = await startS3Proxy(Number(new URL(testServices.s3.endpoint).port));
    worker = await startWorker(workerEnv(ctx, { S3_ENDPOINT: proxy.url, WORKER_CONCURRENCY: '4' }));
  });

  afterAll(async () => {
    await worker?.kill();
    await proxy?.close();
    await ctx?.close();
  });

  it('marks a real PNG ready with its SHA-256, detected type and size', async () => {
    const png = makePng(64, 48, { noise: true });
    const { id } = await createUpload(ctx, png, { contentType: 'image/png' });
    await enqueueProcessUpload(ctx.queue, { uploadId: id, requestId: 'req-png-1' });
    const row = await waitForStatus(ctx.sql, id, ['ready', 'rejected', 'failed']);
    expect(row).toMatchObject({
      status: 'ready',
      sha256: sha256(png),
      detected_type: 'image/png',
      status_reason: null,
    });
    expect(Number(row.size_bytes)).toBe(png.length);
    expect(row.processed_at).toBeInstanceOf(Date);

    // Every line about the job carries jobId, queue and the API's request id.
    await waitFor(
      'job completed line',
      () => linesWith([worker], 'job completed', id).length === 1,
    );
    const jobLines = worker.logs().filter((l) => l.jobId === id);
    expect(jobLines.length).toBeGreaterThanOrEqual(3);
    for (const line of jobLines)
      expect(line).toMatchObject({ queue: 'uploads', requestId: 'req-png-1' });
  });

  it('rejects bytes that lie about their type, says why, and deletes the object', async () => {
    const { id, objectKey } = await createUpload(ctx, makePdf(), { contentType: 'image/png' });
    await enqueueProcessUpload(ctx.queue, { uploadId: id, requestId: 'req-lie' });
    const row = await waitForStatus(ctx.sql, id, ['ready', 'rejected', 'failed']);
    expect(row).toMatchObject({ status: 'rejected', detected_type: 'application/pdf' });
    expect(row.status_reason).toBe(
      'The file was declared as image/png but its contents are application/pdf.',
    );
    expect(await ctx.storage.head(objectKey)).toBeNull();
  });

  it('is idempotent: a second run on a finished row changes nothing', async () => {
    const png = makePng(8, 8);
    const { id } = await createUpload(ctx, png, { contentType: 'image/png' });
    await enqueueProcessUpload(ctx.queue, { uploadId: id, requestId: 'req-once' });
    const first = await waitForStatus(ctx.sql, id, ['ready']);
    // Another job for the same upload (a different job id: the same id would be deduplicated).
    await ctx.queue.add(
      JOBS.processUpload,
      { uploadId: id, requestId: 'req-again' },
      { jobId: `rerun-${id}` },
    );
    await waitFor(
      'the re-run to complete',
      () => linesWith([worker], 'job completed', `rerun-${id}`).length === 1,
    );
    const second = await readUpload(ctx.sql, id);
    expect(second).toEqual(first);
    expect(
      linesWith([worker], 'upload already finished; nothing to change', `rerun-${id}`),
    ).toHaveLength(1);
    expect(await (await ctx.queue.getJob(`rerun-${id}`))?.returnvalue).toMatchObject({
      outcome: 'already-finished',
    });
  });

  it('retries a transient storage failure (connection cut mid-download) and then succeeds', async () => {
    const png = makePng(128, 128, { noise: true });
    const { id } = await createUpload(ctx, png, { contentType: 'image/png' });
    proxy.setMode({ kind: 'cut-once', afterBytes: 20_000 });
    await enqueueProcessUpload(ctx.queue, { uploadId: id, requestId: 'req-flaky' });
    const row = await waitForStatus(ctx.sql, id, ['ready', 'rejected', 'failed']);
    expect(row).toMatchObject({ status: 'ready', sha256: sha256(png) });
    expect(proxy.cuts).toBe(1);
    expect(linesWith([worker], 'job attempt failed; will retry', id)).toHaveLength(1);
    const job = await ctx.queue.getJob(id);
    expect(job?.attemptsMade).toBe(2); // BullMQ counts finished attempts: one failed, one completed
    expect(await job?.getState()).toBe('completed');
  });

  it('marks the row failed and keeps the job in the failed set when storage keeps failing', async () => {
    const { id } = await createUpload(ctx, makePng(8, 8), { contentType: 'image/png' });
    proxy.setMode({ kind: 'refuse' });
    try {
      await enqueueProcessUpload(ctx.queue, { uploadId: id, requestId: 'req-down' });
      const row = await waitForStatus(ctx.sql, id, ['ready', 'rejected', 'failed'], 30000);
      expect(row.status).toBe('failed');
      expect(row.status_reason).toBe(
        'The file could not be read from storage (after 3 attempts); please upload it again.',
      );
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
    const job = await ctx.queue.getJob(id);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(3);
    expect(linesWith([worker], 'job failed for good; kept in the failed set', id)).toHaveLength(1);
    expect(linesWith([worker], 'upload marked failed', id)).toHaveLength(1);
  });

  it('fails for good without retrying when the payload is invalid or the row does not exist', async () => {
    const badId = `bad-${randomUUID()}`;
    await ctx.queue.add(
      JOBS.processUpload,
      { uploadId: 'not-a-uuid', requestId: 'req-bad' } as never,
      { jobId: badId },
    );
    const missingId = randomUUID();
    await enqueueProcessUpload(ctx.queue, { uploadId: missingId, requestId: 'req-missing' });
    for (const jobId of [badId, missingId]) {
      await waitFor(
        `job ${jobId} to fail`,
        async () => (await (await ctx.queue.getJob(jobId))?.getState()) === 'failed',
      );
      const job = await ctx.queue.getJob(jobId);
      expect(job?.attemptsMade).toBe(1);
    }
    expect((await ctx.queue.getJob(badId))?.failedReason).toMatch(
      /^invalid job payload: uploadId:/,
    );
    expect((await ctx.queue.getJob(missingId))?.failedReason).toMatch(/upload row not found/);
  });

  it('serves health with queue counts, readiness, and metrics', async () => {
    const live = await worker.get('/health/live');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await worker.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys((ready.body as { checks: object }).checks).sort()).toEqual([
      'db',
      'redis',
      'workers',
    ]);
    const health = await worker.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      service: 'worker',
      checks: {
        redis: { status: 'ok', critical: true },
        db: { status: 'ok', critical: true },
        workers: { status: 'ok', critical: true },
        storage: { status: 'ok', critical: false },
        queues: {
          status: 'ok',
          details: { uploads: { failed: expect.any(Number) }, maintenance: expect.any(Object) },
        },
      },
    });
    const { text, status } = await worker.get('/metrics');
    expect(status).toBe(200);
    expect(text).toMatch(
      /^jobs_completed_total\{.*queue="uploads".*name="process-upload".*\} [1-9]/m,
    );
    expect(text).toMatch(/^jobs_failed_total\{.*queue="uploads".*\} [1-9]/m);
    expect(text).toMatch(/^job_duration_seconds_bucket\{/m);
    expect(text).toMatch(
      /^bullmq_job_count\{queue="uploads", state="failed", service="worker"\} [1-9]/m,
    );
    expect(text).toMatch(/^queue_workers\{.*queue="uploads".*\} 1$/m);
    expect(text.match(/^# TYPE bullmq_job_count gauge$/gm)).toHaveLength(1);
    expect(text).toMatch(/^health_check_up\{.*check="redis".*\} 1/m);
  });
});

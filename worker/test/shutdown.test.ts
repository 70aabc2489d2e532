import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { enqueueProcessUpload } from '@saas/shared/queue';
import { testServices, makePng } from '@saas/shared/test-support';
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
import { startS3Proxy, type S3Proxy } from './support/s3-proxy.ts';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
/** The worker's "job started" line for one job (not the scheduler's cleanup job). */
const jobStarted = (jobId: string): RegExp => new RegExp(`"jobId":"${jobId}".*"msg":"job started"`);

// Slow jobs without a test switch in the worker: its storage sits behind a proxy that lets the
// real S3 server's bytes through at 60 KB/s: a 190 KB object takes about three seconds.
const SLOW = { kind: 'throttle', bytesPerSecond: 60_000 } as const;

// Short locks and stall checks so a second worker takes over abandoned jobs within seconds.
// Every worker in this file uses them: the stalled check is rate-limited per queue by the
// interval of the worker that ran it last, so one worker with the default 30 s would hold
// back the next test's takeover.
const FAST_RECOVERY = {
  WORKER_LOCK_DURATION_MS: '2000',
  WORKER_STALLED_INTERVAL_MS: '1000',
};

describe('graceful shutdown and lost workers (real worker processes)', () => {
  let ctx: WorkerTestContext;
  let slowS3: S3Proxy;
  const spawned: RunningWorker[] = [];

  const start = async (env: Record<string, string>): Promise<RunningWorker> => {
    const w = await startWorker(workerEnv(ctx, env));
    spawned.push(w);
    return w;
  };

  beforeAll(async () => {
    ctx = await setupWorkerTest();
    slowS3 = await startS3Proxy(Number(new URL(testServices.s3.endpoint).port), SLOW);
  });

  afterEach(async () => {
    await Promise.all(spawned.splice(0).map((w) => w.kill()));
  });

  afterAll(async () => {
    await slowS3?.close();
    await ctx?.close();
  });

  it('SIGTERM with slow jobs active: readiness 503, every job finishes, exit 0', async () => {
    const worker = await start({
      S3_ENDPOINT: slowS3.url,
      WORKER_CONCURRENCY: '3',
      WORKER_DRAIN_TIMEOUT_MS: '20000',
      ...FAST_RECOVERY,
    });
    const pngs = [0, 1, 2].map(() => makePng(250, 250, { noise: true }));
    const uploads = await Promise.all(
      pngs.map((png) => createUpload(ctx, png, { contentType: 'image/png' })),
    );
    for (const [i, u] of uploads.entries())
      await enqueueProcessUpload(ctx.queue, { uploadId: u.id, requestId: `req-slow-${i}` });
    await waitFor(
      'three jobs to start',
      () => linesWith([worker], 'job started').filter((l) => l.queue === 'uploads').length === 3,
    );

    worker.signal('SIGTERM');
    await worker.waitForLine(/draining: fetching stopped/);
    // Out of rotation while draining, but alive: a liveness failure now would kill the drain.
    expect((await worker.get('/health/ready')).status).toBe(503);
    expect((await worker.get('/health/live')).status).toBe(200);
    // Still running: the jobs are mid-download.
    expect((await readUpload(ctx.sql, uploads[0]!.id))?.status).toBe('uploaded');

    const { code } = await worker.exited;
    expect(code).toBe(0);
    for (const [i, u] of uploads.entries()) {
      const row = await readUpload(ctx.sql, u.id);
      expect(row).toMatchObject({ status: 'ready', sha256: sha256(pngs[i]!) });
    }
    expect(linesWith([worker], 'drained: every active job finished')).toHaveLength(1);
    expect(linesWith([worker], 'shutdown complete')).toHaveLength(1);
    expect(await ctx.queue.getJobCounts('active', 'waiting', 'failed')).toEqual({
      active: 0,
      waiting: 0,
      failed: 0,
    });
  });

  it('SIGTERM with a job longer than the drain timeout: exits by the timeout; another worker completes the job', async () => {
    const png = makePng(400, 400, { noise: true }); // ~480 KB: ~8 s through the slow proxy
    const { id } = await createUpload(ctx, png, { contentType: 'image/png' });
    const first = await start({
      S3_ENDPOINT: slowS3.url,
      WORKER_DRAIN_TIMEOUT_MS: '800',
      ...FAST_RECOVERY,
    });
    await enqueueProcessUpload(ctx.queue, { uploadId: id, requestId: 'req-long' });
    await first.waitForLine(jobStarted(id));
    // The second worker reads storage directly (fast). Started now (process start-up takes a
    // few seconds here), it cannot take the job while the first one holds its lock.
    const secondStarting = start(FAST_RECOVERY);

    const signalled = Date.now();
    first.signal('SIGTERM');
    const { code } = await first.exited;
    const tookMs = Date.now() - signalled;
    expect(code).toBe(0);
    // Generous bound (a loaded CI machine): the drain budget plus closing connections, still far
    // below the job's ~8 s.
    expect(tookMs).toBeLessThan(800 + 4200);
    expect(linesWith([first], /^drain timed out: 1 job\(s\) left running/)).toHaveLength(1);
    expect(linesWith([first], 'job completed', id)).toHaveLength(0);
    expect((await readUpload(ctx.sql, id))?.status).toBe('uploaded');

    // Once the abandoned lock expired, the second worker's stalled check requeues the job.
    const second = await secondStarting;
    const row = await waitForStatus(ctx.sql, id, ['ready', 'rejected', 'failed'], 20000);
    expect(row).toMatchObject({ status: 'ready', sha256: sha256(png) });
    await waitFor(
      'the stall to be logged',
      () => linesWith([second], /^job stalled/, id).length === 1,
    );
    // The row is written inside the job; BullMQ records the completion (and the worker logs
    // it) a moment later.
    await waitFor(
      'the completion to be logged',
      () => linesWith([second], 'job completed', id).length > 0,
    );
    expect(linesWith([second], 'job completed', id)).toHaveLength(1);
    const job = await ctx.queue.getJob(id);
    // The interrupted run used up no attempt: the only finished attempt is the completed one.
    expect(job?.attemptsMade).toBe(1);
  });

  it('SIGKILL mid-job: a second worker completes it and the row goes ready exactly once', async () => {
    const png = makePng(330, 330, { noise: true });
    const { id } = await createUpload(ctx, png, { contentType: 'image/png' });
    const first = await start({ S3_ENDPOINT: slowS3.url, ...FAST_RECOVERY });
    await enqueueProcessUpload(ctx.queue, { uploadId: id, requestId: 'req-kill' });
    await first.waitForLine(jobStarted(id));
    const secondStarting = start(FAST_RECOVERY);
    await sleep(500); // mid-download
    first.signal('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect((await readUpload(ctx.sql, id))?.status).toBe('uploaded');

    const second = await secondStarting;
    const row = await waitForStatus(ctx.sql, id, ['ready', 'rejected', 'failed'], 20000);
    expect(row).toMatchObject({ status: 'ready', sha256: sha256(png) });
    await waitFor(
      'the job to complete',
      () => linesWith([second], 'job completed', id).length === 1,
    );
    // One transition to ready across both processes, and one completion.
    expect(linesWith([first, second], 'upload marked ready', id)).toHaveLength(1);
    expect(linesWith([first, second], 'job completed', id)).toHaveLength(1);
    expect(linesWith([first, second], 'job started', id)).toHaveLength(2);
  });
});

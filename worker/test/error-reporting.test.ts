import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeSentryIngest, type FakeSentryIngest } from '@saas/shared/observability';
import { enqueueProcessUpload, JOBS } from '@saas/shared/queue';
import {
  createUpload,
  linesWith,
  setupWorkerTest,
  startWorker,
  waitFor,
  waitForStatus,
  workerEnv,
  type RunningWorker,
  type WorkerTestContext,
} from './support/harness.ts';
import { makePng } from '@saas/shared/test-support';

// Sentry receives the worker's events on a fake Sentry ingest server (the SDK's real envelopes
// over HTTP on loopback). A test preload throws an uncaught exception and leaves a rejection
// unhandled shortly after start-up.
describe('error reporting: crash policy "log" and Sentry', () => {
  let ctx: WorkerTestContext;
  let sentry: FakeSentryIngest;
  let worker: RunningWorker;

  beforeAll(async () => {
    ctx = await setupWorkerTest();
    sentry = await startFakeSentryIngest();
    worker = await startWorker(workerEnv(ctx, { SENTRY_DSN: sentry.dsn }), {
      extraImports: ['./worker/test/fixtures/crash-soon.ts'],
    });
  });

  afterAll(async () => {
    await worker?.kill();
    await sentry?.close();
    await ctx?.close();
  });

  it('logs an uncaught exception and an unhandled rejection, keeps running and processing jobs', async () => {
    const line = await worker.waitForLine(/uncaughtException; still running/);
    const exception = JSON.parse(line) as Record<string, unknown>;
    expect(exception).toMatchObject({ level: 'error', kind: 'uncaughtException' });
    expect(JSON.stringify(exception.err)).toContain('crash-soon test preload');
    await worker.waitForLine(/unhandledRejection; still running/);

    const { id } = await createUpload(ctx, makePng(4, 4), { contentType: 'image/png' });
    await enqueueProcessUpload(ctx.queue, { uploadId: id, requestId: 'req-after-crash' });
    const row = await waitForStatus(ctx.sql, id, ['ready', 'rejected', 'failed']);
    expect(row.status).toBe('ready');
    expect((await worker.get('/health/live')).status).toBe(200);
    expect((await worker.get('/health/ready')).status).toBe(200);
    expect(linesWith([worker], 'shutdown started')).toHaveLength(0);
    expect(worker.child.exitCode).toBeNull();
    // Sentry saw the crash too, without taking the process down.
    await waitFor('the crash event', () =>
      sentry
        .events()
        .some((e) => JSON.stringify(e).includes('uncaught error from the crash-soon test preload')),
    );
  });

  it('sends a job that failed for good to Sentry with its ids as tags, and no job data', async () => {
    const jobId = 'sentry-bad-payload';
    // Personal data smuggled into a payload must not reach Sentry (the schema refuses the key).
    await ctx.queue.add(
      JOBS.processUpload,
      { uploadId: 'not-a-uuid', requestId: 'req-sentry', email: 'jane.doe@example.com' } as never,
      { jobId },
    );
    const [event] = await waitFor('the job failure event', () => {
      const found = sentry
        .events()
        .filter((e) => (e.tags as Record<string, string> | undefined)?.jobId === jobId);
      return found.length > 0 ? found : undefined;
    });
    expect(event?.tags).toMatchObject({
      jobId,
      queue: 'uploads',
      jobName: 'process-upload',
      requestId: 'req-sentry',
      service: 'worker',
    });
    expect(JSON.stringify(event)).toContain('invalid job payload');
    for (const envelope of sentry.envelopes)
      expect(envelope.raw).not.toContain('jane.doe@example.com');
  });
});

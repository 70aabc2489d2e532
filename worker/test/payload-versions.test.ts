import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JOBS, PROCESS_UPLOAD_VERSION } from '@saas/shared/queue';
import { makePng } from '@saas/shared/test-support';
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

// A rolling deploy: APIs of other builds write jobs onto the queue this build's worker reads.
// Jobs are added with raw data (queue.add), as another build's producer would write them.
describe('payload versions (real worker process, Redis, PostgreSQL, S3)', () => {
  let ctx: WorkerTestContext;
  let worker: RunningWorker;

  beforeAll(async () => {
    ctx = await setupWorkerTest();
    worker = await startWorker(workerEnv(ctx));
  });

  afterAll(async () => {
    await worker?.kill();
    await ctx?.close();
  });

  const upload = async () =>
    (await createUpload(ctx, makePng(16, 16), { contentType: 'image/png' })).id;

  it('runs a job from an older API (no v: version 1)', async () => {
    const id = await upload();
    await ctx.queue.add(JOBS.processUpload, { uploadId: id, requestId: 'old-api' }, { jobId: id });
    expect((await waitForStatus(ctx.sql, id, ['ready', 'rejected', 'failed'])).status).toBe(
      'ready',
    );
  });

  it('runs a job from a newer API that added an optional field (same version)', async () => {
    const id = await upload();
    // A variable, not a literal: this build's types rightly do not know the field.
    const data = {
      uploadId: id,
      requestId: 'new-api',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    };
    await ctx.queue.add(JOBS.processUpload, data, { jobId: id });
    expect((await waitForStatus(ctx.sql, id, ['ready', 'rejected', 'failed'])).status).toBe(
      'ready',
    );
  });

  it('leaves a job of a newer payload version for a newer worker: delayed, no attempt used, row untouched', async () => {
    const id = await upload();
    const data = {
      v: PROCESS_UPLOAD_VERSION + 1,
      uploadId: id,
      requestId: 'newer-api',
      renamed: id,
    };
    await ctx.queue.add(JOBS.processUpload, data, { jobId: id });
    await waitFor(
      'the worker to leave the job',
      () =>
        linesWith([worker], 'job written by a newer producer; left for a newer worker', id)
          .length === 1,
    );
    await waitFor(
      'the job to be delayed',
      async () => (await ctx.queue.getJobState(id)) === 'delayed',
    );
    await sleep(500);
    const job = await ctx.queue.getJob(id);
    expect(job?.attemptsMade).toBe(0);
    expect(job?.failedReason).toBeFalsy();
    expect(job!.delay).toBeGreaterThanOrEqual(10_000);
    expect((await readUpload(ctx.sql, id))?.status).toBe('uploaded');
    expect(linesWith([worker], 'job started', id)).toHaveLength(0);
    expect(linesWith([worker], /failed/, id)).toHaveLength(0);
  });
});

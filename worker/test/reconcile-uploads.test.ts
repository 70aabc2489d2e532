import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { UnrecoverableError, Worker } from 'bullmq';
import { createLogger, createMemoryDestination, type Logger } from '@saas/shared/logger';
import { JOBS, QUEUES } from '@saas/shared/queue';
import { StorageError } from '@saas/shared/storage';
import type { JobHandler } from '../src/jobs/job-handler.ts';
import { createReconcileUploads } from '../src/jobs/reconcile-uploads.ts';
import { createUploadRows } from '../src/uploads/upload-rows.ts';
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
  type UploadRow,
  type WorkerTestContext,
} from './support/harness.ts';
import { makePng } from '@saas/shared/test-support';

const STUCK_AFTER_MS = 15 * 60_000;
/** Older than the threshold: the sweep looks at it. */
const longAgo = (): Date => new Date(Date.now() - STUCK_AFTER_MS - 5 * 60_000);
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

// The handler called directly with real dependencies: the worker's SQL on a fresh database,
// a real BullMQ queue on Redis (own prefix). Jobs reach their states the way a worker moves
// them — a BullMQ Worker without a processor takes them (getNextJob) and fails or completes
// them with its lock token — so no worker process competes with the states a test sets up.
describe('reconcile-uploads (handler with real PostgreSQL and Redis)', () => {
  let ctx: WorkerTestContext;
  let manual: Worker;
  let logs: ReturnType<typeof createMemoryDestination>;
  let logger: Logger;

  // What onReconciled reported (main.ts counts it as uploads_reconciled_total{outcome}).
  let reconciled: string[] = [];
  const handler = (stuckAfterMs = STUCK_AFTER_MS): JobHandler =>
    createReconcileUploads({
      rows: createUploadRows(ctx.sql),
      queue: ctx.queue,
      stuckAfterMs,
      onReconciled: (outcome) => reconciled.push(outcome),
    });

  let sweeps = 0;
  const sweep = async (h: JobHandler = handler()): Promise<Record<string, unknown>> => {
    const jobId = `repeat:reconcile-uploads:${++sweeps}`;
    return h.run(h.payload.parse({}), {
      logger: logger.child({ jobId, queue: QUEUES.maintenance, jobName: JOBS.reconcileUploads }),
      jobId,
      attempt: 1,
      attempts: 3,
      signal: undefined,
    });
  };

  const addJob = (uploadId: string, opts: { delay?: number; priority?: number } = {}) =>
    ctx.queue.add(
      JOBS.processUpload,
      { uploadId, requestId: 'req-api' },
      { jobId: uploadId, ...opts },
    );

  /** Takes the next job like a worker would; it stays active (locked) until told otherwise. */
  const take = async (uploadId: string, token: string) => {
    const job = await waitFor(`job ${uploadId} to be fetched`, () => manual.getNextJob(token));
    expect(job.id).toBe(uploadId);
    return job;
  };

  /** Every attempt of the job fails with `error` (backoff included) until BullMQ gives up. */
  const failForGood = async (uploadId: string, error: Error): Promise<void> => {
    const token = randomUUID();
    for (;;) {
      const job = await take(uploadId, token);
      await job.moveToFailed(error, token);
      if ((await ctx.queue.getJobState(uploadId)) === 'failed') return;
    }
  };

  const stateOf = (id: string) => ctx.queue.getJobState(id);

  beforeAll(async () => {
    ctx = await setupWorkerTest();
    manual = new Worker(QUEUES.uploads, null, { connection: ctx.redis, prefix: ctx.prefix });
    manual.on('error', () => {});
  });

  beforeEach(async () => {
    logs = createMemoryDestination();
    logger = createLogger({
      service: 'worker',
      env: 'test',
      version: 'test',
      level: 'info',
      destination: logs,
    });
  });

  afterEach(async () => {
    // Each test starts from no rows and no jobs: the sweep looks at the whole table.
    await ctx.sql`delete from public.uploads`;
    await ctx.queue.obliterate({ force: true });
  });

  afterAll(async () => {
    await manual?.close();
    await ctx?.close();
  });

  it('marks a stuck row failed with the give-up hook’s sentence when its job is in the failed set', async () => {
    const png = makePng(4, 4);
    const storage = await createUpload(ctx, png, {
      contentType: 'image/png',
      updatedAt: longAgo(),
    });
    const stalled = await createUpload(ctx, png, {
      contentType: 'image/png',
      updatedAt: longAgo(),
    });
    // What a storage outage leaves: three attempts (the queue's attempts here), then the failed set.
    await addJob(storage.id);
    await failForGood(
      storage.id,
      new StorageError('getStream', 'connect ECONNREFUSED 127.0.0.1:9'),
    );
    // What BullMQ's stalled check leaves when a job stalled too often.
    await addJob(stalled.id);
    await failForGood(stalled.id, new UnrecoverableError('job stalled more than allowable limit'));

    reconciled = [];
    const result = await sweep();
    expect(reconciled).toEqual(['markedFailed', 'markedFailed']);

    expect(result).toEqual({
      checked: 2,
      markedFailed: 2,
      requeued: 0,
      inProgress: 0,
      settled: 0,
      errors: 0,
    });
    expect(await readUpload(ctx.sql, storage.id)).toMatchObject({
      status: 'failed',
      // Word for word what the give-up hook writes for this failure (process-upload.test.ts).
      status_reason:
        'The file could not be read from storage (after 3 attempts); please upload it again.',
      processed_at: expect.any(Date),
    });
    expect(await readUpload(ctx.sql, stalled.id)).toMatchObject({
      status: 'failed',
      status_reason: 'Processing was interrupted too many times; please upload the file again.',
    });
    // The jobs stay in the failed set for inspection.
    expect(await stateOf(storage.id)).toBe('failed');
    expect((await ctx.queue.getJob(storage.id))?.attemptsMade).toBe(3);
    expect(await stateOf(stalled.id)).toBe('failed');

    // One summary line, counts and ids only.
    const summary = logs.records().filter((l) => l.msg === 'stuck uploads reconciled');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({
      checked: 2,
      markedFailed: 2,
      requeued: 0,
      inProgress: 0,
      jobName: 'reconcile-uploads',
    });
    const perRow = logs
      .records()
      .filter((l) => l.msg === 'stuck upload marked failed: its job had given up');
    expect(perRow.map((l) => l.uploadId).sort()).toEqual([storage.id, stalled.id].sort());
    expect(logs.lines.join('\n')).not.toMatch(/ECONNREFUSED|uploads\//);
  });

  it('enqueues process-upload again for a stuck row whose job is missing', async () => {
    const { id } = await createUpload(ctx, makePng(4, 4), {
      contentType: 'image/png',
      updatedAt: longAgo(),
    });
    expect(await ctx.queue.getJob(id)).toBeUndefined();

    reconciled = [];
    const result = await sweep();

    expect(result).toMatchObject({ checked: 1, requeued: 1, markedFailed: 0, inProgress: 0 });
    expect(reconciled).toEqual(['requeued']);
    const job = await ctx.queue.getJob(id);
    expect(job).toBeDefined();
    expect(await stateOf(id)).toBe('waiting');
    expect(job?.name).toBe(JOBS.processUpload);
    // The re-run's log lines point back to the sweep (its scheduler job id, made log-safe).
    expect(job?.data).toEqual({
      uploadId: id,
      requestId: expect.stringMatching(/^reconcile-repeat-reconcile-uploads-\d+$/),
    });
    // Through the shared helper: the queue's retry options, as the API's enqueue has them.
    expect(job?.opts.attempts).toBe(3);
    expect((await readUpload(ctx.sql, id))?.status).toBe('uploaded');
    expect(
      logs.records().filter((l) => l.msg === 'stuck upload: process-upload enqueued again'),
    ).toEqual([expect.objectContaining({ uploadId: id, why: 'job missing' })]);
  });

  it('removes a finished job before enqueueing again: completed, or failed before the row was uploaded', async () => {
    const png = makePng(4, 4);
    // Completed while the row still says uploaded: should not happen, processed again.
    const completed = await createUpload(ctx, png, {
      contentType: 'image/png',
      updatedAt: longAgo(),
    });
    await addJob(completed.id);
    const token = randomUUID();
    await (await take(completed.id, token)).moveToCompleted({ outcome: 'ready' }, token, false);
    const completedAt = (await ctx.queue.getJob(completed.id))?.finishedOn;
    expect(await stateOf(completed.id)).toBe('completed');

    // The job gave up while the row was still pending (the API rolled back a `complete` whose
    // enqueue had landed); the client completed again, and that enqueue was a no-op.
    const staleId = randomUUID();
    await addJob(staleId);
    await failForGood(staleId, new Error('upload is pending, not uploaded yet'));
    await sleep(20);
    await createUpload(ctx, png, { contentType: 'image/png', id: staleId });
    // Only the stale one is young: a short threshold for this sweep.
    await sleep(1100);

    const result = await sweep(handler(1000));

    expect(result).toMatchObject({ checked: 2, requeued: 2, markedFailed: 0 });
    for (const id of [completed.id, staleId]) {
      const job = await ctx.queue.getJob(id);
      expect(await stateOf(id)).toBe('waiting');
      // A new job, not the finished one: nothing run, nothing recorded.
      expect(job?.attemptsMade).toBe(0);
      expect(job?.finishedOn).toBeUndefined();
      expect(job?.data.requestId).toMatch(/^reconcile-/);
      expect((await readUpload(ctx.sql, id))?.status).toBe('uploaded');
    }
    expect(completedAt).toEqual(expect.any(Number));
    const why = logs
      .records()
      .filter((l) => l.msg === 'stuck upload: process-upload enqueued again')
      .map((l) => [l.uploadId, l.why]);
    expect(why).toEqual(
      expect.arrayContaining([
        [completed.id, 'job completed but the row is uploaded'],
        [staleId, 'job failed before the row was uploaded'],
      ]),
    );
  });

  it('leaves recent rows, and rows whose job is active, waiting, delayed or prioritized, alone', async () => {
    const png = makePng(4, 4);
    const old = () => createUpload(ctx, png, { contentType: 'image/png', updatedAt: longAgo() });
    const active = await old();
    await addJob(active.id);
    await take(active.id, randomUUID());
    const waiting = await old();
    await addJob(waiting.id);
    const delayed = await old();
    await addJob(delayed.id, { delay: 600_000 });
    const prioritized = await old();
    await addJob(prioritized.id, { priority: 5 });
    // Recent, and without a job (the API is between its mark and its enqueue): not looked at.
    const recent = await createUpload(ctx, png, { contentType: 'image/png' });
    const ids = [active.id, waiting.id, delayed.id, prioritized.id, recent.id];
    const before = await Promise.all(ids.map((id) => readUpload(ctx.sql, id)));
    const statesBefore = await Promise.all(ids.map(stateOf));
    expect(statesBefore).toEqual(['active', 'waiting', 'delayed', 'prioritized', 'unknown']);

    const result = await sweep();

    expect(result).toEqual({
      checked: 4,
      markedFailed: 0,
      requeued: 0,
      inProgress: 4,
      settled: 0,
      errors: 0,
    });
    expect(await Promise.all(ids.map((id) => readUpload(ctx.sql, id)))).toEqual(before);
    expect(await Promise.all(ids.map(stateOf))).toEqual(statesBefore);
    expect(await ctx.queue.getJob(recent.id)).toBeUndefined();
  });

  it('changes nothing when it runs a second time', async () => {
    const png = makePng(4, 4);
    const gaveUp = await createUpload(ctx, png, { contentType: 'image/png', updatedAt: longAgo() });
    await addJob(gaveUp.id);
    await failForGood(gaveUp.id, new StorageError('getStream', 'socket hang up'));
    const lost = await createUpload(ctx, png, { contentType: 'image/png', updatedAt: longAgo() });
    const queued = await createUpload(ctx, png, { contentType: 'image/png', updatedAt: longAgo() });
    await addJob(queued.id);
    const recent = await createUpload(ctx, png, { contentType: 'image/png' });
    const ids = [gaveUp.id, lost.id, queued.id, recent.id];

    expect(await sweep()).toMatchObject({
      checked: 3,
      markedFailed: 1,
      requeued: 1,
      inProgress: 1,
    });
    const rows = await Promise.all(ids.map((id) => readUpload(ctx.sql, id)));
    expect(rows.map((r) => r?.status)).toEqual(['failed', 'uploaded', 'uploaded', 'uploaded']);
    const jobs = async () =>
      Promise.all(
        ids.map(async (id) => {
          const job = await ctx.queue.getJob(id);
          return job && { state: await stateOf(id), timestamp: job.timestamp, data: job.data };
        }),
      );
    const jobsAfterFirst = await jobs();
    expect(jobsAfterFirst.map((j) => j?.state)).toEqual([
      'failed',
      'waiting',
      'waiting',
      undefined,
    ]);

    const second = await sweep();

    // The failed row is no longer `uploaded`; the re-enqueued job is now simply in progress.
    expect(second).toEqual({
      checked: 2,
      markedFailed: 0,
      requeued: 0,
      inProgress: 2,
      settled: 0,
      errors: 0,
    });
    const rowsAfter: (UploadRow | undefined)[] = await Promise.all(
      ids.map((id) => readUpload(ctx.sql, id)),
    );
    expect(rowsAfter).toEqual(rows);
    expect(await jobs()).toEqual(jobsAfterFirst);
  });
});

// The whole path in a worker process: its scheduler runs reconcile-uploads, which re-enqueues
// a lost job, and the same worker processes the real PNG in the local S3 to `ready`.
describe('reconcile-uploads in a worker process', () => {
  let ctx: WorkerTestContext;
  let worker: RunningWorker;

  beforeAll(async () => {
    ctx = await setupWorkerTest();
    worker = await startWorker(workerEnv(ctx, { CLEANUP_EVERY_MS: '1000' }));
  });

  afterAll(async () => {
    await worker?.kill();
    await ctx?.close();
  });

  it('processes an upload whose job was lost to ready', async () => {
    const png = makePng(16, 16, { noise: true });
    const lost = await createUpload(ctx, png, { contentType: 'image/png', updatedAt: longAgo() });
    const fresh = await createUpload(ctx, png, { contentType: 'image/png' });

    const row = await waitForStatus(ctx.sql, lost.id, ['ready', 'rejected', 'failed'], 20000);
    expect(row).toMatchObject({ status: 'ready', sha256: sha256(png), detected_type: 'image/png' });
    const job = await ctx.queue.getJob(lost.id);
    expect(await job?.getState()).toBe('completed');
    expect(job?.data.requestId).toMatch(/^reconcile-/);
    expect(linesWith([worker], 'stuck upload: process-upload enqueued again')).toEqual([
      expect.objectContaining({
        uploadId: lost.id,
        why: 'job missing',
        jobName: 'reconcile-uploads',
      }),
    ]);
    await waitFor('a sweep that finds nothing left', () =>
      linesWith([worker], 'stuck uploads reconciled').some((l) => l.checked === 0),
    );
    // Recent rows are not the sweep's business, whatever their job.
    expect((await readUpload(ctx.sql, fresh.id))?.status).toBe('uploaded');
    expect(await ctx.queue.getJob(fresh.id)).toBeUndefined();
  });
});

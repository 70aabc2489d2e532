import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ZodError } from 'zod';
import { testServices, uniqueId } from '@saas/shared/test-support';
import {
  JOBS,
  QUEUES,
  cleanupUploadsPayload,
  reconcileUploadsPayload,
  createMaintenanceQueue,
  createUploadsQueue,
  defaultJobOptions,
  enqueueProcessUpload,
  processUploadPayload,
  workerDefaults,
  type UploadsQueue,
} from './index.ts';

describe('queue module (real Redis)', () => {
  const prefix = uniqueId('q');
  let connection: Redis;
  let queue: UploadsQueue;

  beforeAll(async () => {
    // A producer-style connection, as the API uses it: fail fast instead of queueing offline.
    connection = new Redis(testServices.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    await new Promise<void>((resolve, reject) => {
      connection.once('ready', () => resolve());
      connection.once('error', reject);
    });
    queue = createUploadsQueue(connection, { prefix });
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
  });

  it('enqueues process-upload with jobId = uploadId and the default options', async () => {
    const uploadId = randomUUID();
    const { jobId } = await enqueueProcessUpload(queue, { uploadId, requestId: 'req-1' });
    expect(jobId).toBe(uploadId);
    const job = await queue.getJob(uploadId);
    expect(job?.name).toBe(JOBS.processUpload);
    expect(job?.data).toEqual({ uploadId, requestId: 'req-1' });
    expect(job?.opts.attempts).toBe(defaultJobOptions.attempts);
    expect(job?.opts.backoff).toEqual(defaultJobOptions.backoff);
    expect(job?.opts.removeOnComplete).toEqual({ age: 86400, count: 1000 });
    expect(queue.name).toBe(QUEUES.uploads);
    // The keys live under the configured prefix, so deployments (and test files) do not mix.
    expect(await connection.exists(`${prefix}:${QUEUES.uploads}:${uploadId}`)).toBe(1);
  });

  it('is idempotent: enqueueing the same upload twice leaves one job', async () => {
    const uploadId = randomUUID();
    await enqueueProcessUpload(queue, { uploadId, requestId: 'a' });
    await enqueueProcessUpload(queue, { uploadId, requestId: 'b' });
    const waiting = await queue.getWaiting();
    expect(waiting.filter((j) => j.id === uploadId)).toHaveLength(1);
    expect((await queue.getJob(uploadId))?.data.requestId).toBe('a');
  });

  it('refuses a payload the worker would refuse, before touching Redis', async () => {
    const before = await queue.count();
    await expect(
      enqueueProcessUpload(queue, { uploadId: 'not-a-uuid', requestId: 'r' }),
    ).rejects.toBeInstanceOf(ZodError);
    const withExtra = { uploadId: randomUUID(), requestId: 'r', email: 'a@b.c' };
    await expect(enqueueProcessUpload(queue, withExtra)).rejects.toBeInstanceOf(ZodError);
    await expect(
      enqueueProcessUpload(queue, { uploadId: randomUUID(), requestId: 'has space\nnewline' }),
    ).rejects.toBeInstanceOf(ZodError);
    expect(await queue.count()).toBe(before);
  });
});

describe('queue factories', () => {
  it('merge job option overrides over the defaults, per queue', async () => {
    const connection = new Redis(testServices.redisUrl, { maxRetriesPerRequest: null });
    const prefix = uniqueId('q');
    const uploads = createUploadsQueue(connection, { prefix, jobOptions: { attempts: 2 } });
    const maintenance = createMaintenanceQueue(connection, { prefix });
    try {
      expect(uploads.defaultJobOptions).toMatchObject({
        attempts: 2,
        backoff: defaultJobOptions.backoff,
      });
      expect(maintenance.name).toBe(QUEUES.maintenance);
      expect(maintenance.defaultJobOptions).toMatchObject({ attempts: defaultJobOptions.attempts });
    } finally {
      await uploads.close();
      await maintenance.close();
      connection.disconnect();
    }
  });
});

describe('payload schemas and defaults', () => {
  it('accepts exactly the ids a job needs', () => {
    const uploadId = randomUUID();
    expect(processUploadPayload.parse({ uploadId, requestId: 'x' })).toEqual({
      uploadId,
      requestId: 'x',
    });
    expect(processUploadPayload.safeParse({ uploadId }).success).toBe(false);
    expect(cleanupUploadsPayload.parse({})).toEqual({ batchSize: 500 });
    expect(cleanupUploadsPayload.safeParse({ batchSize: 0 }).success).toBe(false);
    expect(reconcileUploadsPayload.parse({})).toEqual({ batchSize: 200 });
    expect(reconcileUploadsPayload.safeParse({ batchSize: 0 }).success).toBe(false);
    // The stuck age is the worker's setting, not job data.
    expect(reconcileUploadsPayload.safeParse({ olderThanMs: 1 }).success).toBe(false);
  });

  it('retains finished jobs by age and count, and allows more than one stall', () => {
    expect(defaultJobOptions.removeOnFail.age).toBeGreaterThan(
      defaultJobOptions.removeOnComplete.age,
    );
    expect(defaultJobOptions.removeOnFail.count).toBeGreaterThan(0);
    expect(workerDefaults.maxStalledCount).toBeGreaterThan(1);
    expect(workerDefaults.stalledInterval).toBeGreaterThan(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { testServices, uniqueId } from '@saas/shared/test-support';
import { QUEUES, createUploadsQueue, enqueueProcessUpload, type UploadsQueue } from './index.ts';

/** Redis Cluster's rule: the slot of `a{tag}b` is the slot of `tag` (first `{`, next `}`, non-empty). */
const hashTag = (key: string): string | undefined => {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
};

// Redis Cluster runs a Lua script only on keys of one slot: every key BullMQ touches for a
// queue must carry the same hash tag, which the QUEUE_PREFIX `{…}` gives. The local Redis is
// not a cluster, so the test checks the rule itself on every key a real producer and worker
// create (jobs added, processed, completed, delayed, with BullMQ's metrics on).
describe('QUEUE_PREFIX with a {hash-tag} (real Redis)', () => {
  const tag = uniqueId('ht');
  const prefix = `{${tag}}`;
  let connection: Redis;
  let queue: UploadsQueue;

  beforeAll(async () => {
    connection = new Redis(testServices.redisUrl, { maxRetriesPerRequest: null });
    queue = createUploadsQueue(connection, { prefix });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
  });

  it('every key a producer and a worker create carries the same hash tag', async () => {
    const done: string[] = [];
    const worker = new Worker(
      QUEUES.uploads,
      async (job) => {
        done.push(job.id!);
        return {};
      },
      { connection, prefix, concurrency: 2, metrics: { maxDataPoints: 60 } },
    );
    try {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const uploadId of ids) await enqueueProcessUpload(queue, { uploadId, requestId: 'r' });
      await queue.add(
        'process-upload',
        { uploadId: randomUUID(), requestId: 'r' },
        { delay: 60_000 },
      );
      const deadline = Date.now() + 10_000;
      while (done.length < ids.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(done.sort()).toEqual([...ids].sort());
    } finally {
      await worker.close();
    }
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await connection.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    // Jobs, wait/delayed/completed sets, meta, events stream, id counter, metrics.
    expect(keys.length).toBeGreaterThanOrEqual(8);
    expect(keys.filter((k) => hashTag(k) !== tag)).toEqual([]);
    expect(keys.some((k) => k.endsWith(':completed'))).toBe(true);
    expect(keys.some((k) => k.endsWith(':delayed'))).toBe(true);
  });
});

// npm run bench:redis-memory — Redis memory per 1000 jobs kept (docs/capacity.md).
// 1000 process-upload jobs, as the API enqueues them, run by a BullMQ worker to completion,
// then 1000 more that fail once and are kept as failed (attempts 1, an error with a stack):
// MEMORY USAGE summed over every key under a fresh prefix after each step. Light: one queue,
// a few seconds; keys removed afterwards.
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createUploadsQueue, JOBS, QUEUES } from '@saas/shared/queue';
import { services } from './lib/services.ts';

const N = 1000;
const prefix = `benchmem${Date.now().toString(36)}`;
const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });

async function usage(): Promise<{ keys: number; bytes: number }> {
  let cursor = '0';
  let bytes = 0;
  let keys = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const k of batch) {
      bytes += Number(await redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0'));
      keys += 1;
    }
  } while (cursor !== '0');
  return { keys, bytes };
}

async function runAll(fail: boolean): Promise<void> {
  const queue = createUploadsQueue(redis, { prefix, jobOptions: { attempts: 1 } });
  let done = 0;
  const worker = new Worker(
    QUEUES.uploads,
    async () => {
      if (fail)
        throw new Error('object not found in storage (bench: a failure kept with its stack)');
      return {};
    },
    { connection: redis, prefix, concurrency: 50 },
  );
  worker.on(fail ? 'failed' : 'completed', () => (done += 1));
  const jobs = Array.from({ length: N }, (_, i) => {
    const uploadId = randomUUID();
    return {
      name: JOBS.processUpload,
      data: { uploadId, requestId: `req-${i}` },
      opts: { jobId: uploadId },
    };
  });
  await queue.addBulk(jobs);
  while (done < N) await new Promise((r) => setTimeout(r, 50));
  await worker.close();
  await queue.close();
}

try {
  const empty = await usage();
  await runAll(false);
  const completed = await usage();
  await runAll(true);
  const both = await usage();
  const kib = (b: number): string => (b / 1024).toFixed(0);
  process.stdout.write(
    `${JSON.stringify({
      jobs: N,
      completedKiBPer1000: kib(completed.bytes - empty.bytes),
      failedKiBPer1000: kib(both.bytes - completed.bytes),
      keys: both.keys,
    })}\n`,
  );
} finally {
  const queue = createUploadsQueue(redis, { prefix });
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
}

// Baseline: a raw BullMQ Worker with a no-op processor, nothing else.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '@saas/shared/queue';
import { completionClock, report, workerRunArgs } from './worker-args.ts';

const args = workerRunArgs();
const connection = new Redis(args.redisUrl, { maxRetriesPerRequest: null });
const worker = new Worker(QUEUES.uploads, async () => ({}), {
  connection,
  prefix: args.prefix,
  concurrency: args.concurrency,
  autorun: false,
});
const clock = completionClock(args.jobs);
worker.on('completed', clock.completed);
await worker.waitUntilReady();
report({ ready: true });
clock.start();
void worker.run();
const ms = await clock.done;
report({ result: true, jobs: args.jobs, ms, rssBytes: process.memoryUsage().rss });
await worker.close();
connection.disconnect();

// Start-up baseline: what any API or worker process must do before it is ready — open a
// PostgreSQL connection (one query), a Redis connection (PING), and (kind=api) listen with a
// bare Express app, or (kind=worker) start a raw BullMQ Worker. Prints `{"ready":true}`.
import type { AddressInfo } from 'node:net';
import { Worker } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import postgres from 'postgres';

const kind = process.env.BENCH_KIND ?? 'api';
const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
await Promise.all([sql`select 1`, redis.ping()]);
if (kind === 'worker') {
  const worker = new Worker('uploads', async () => ({}), {
    connection: redis,
    prefix: process.env.QUEUE_PREFIX,
  });
  await worker.waitUntilReady();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
} else {
  const app = express();
  app.get('/health/ready', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `${JSON.stringify({ ready: true, port: (server.address() as AddressInfo).port })}\n`,
    );
  });
}
process.on('SIGTERM', () => process.exit(0));

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createDb, runMigrations } from '@saas/shared/db';
import {
  createTestDatabase,
  startPrivateRedis,
  type PrivateRedis,
  type TestDatabase,
} from '@saas/shared/test-support';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, MIGRATIONS_DIR, waitReady, type TestApi } from './support/test-api.ts';

const until = async (cond: () => boolean, timeoutMs = 5000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

// Stops a PRIVATE redis-server: the shared one serves other suites.
describe('Redis down: queue 503, rate limits fail open or closed, readiness', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let open: TestApi;
  let closed: TestApi;
  let auth: { Authorization: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    const sql = createDb({ url: db.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end();
    redis = await startPrivateRedis();
    open = await createTestApi({ db, env: { REDIS_URL: redis.url } });
    closed = await createTestApi({
      db,
      env: { REDIS_URL: redis.url, RATE_LIMIT_FAIL_OPEN: 'false' },
    });
    auth = bearer(await tokenFor(open.config, { sub: randomUUID() }));
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
    await redis?.destroy();
    await db?.drop();
  });

  it('behaves while Redis is down and recovers when it is back', async () => {
    // An upload whose bytes are in place, ready to complete.
    const created = await request(open.app)
      .post('/v1/uploads')
      .set(auth)
      .send({ filename: 'a.png', contentType: 'image/png', size: 4 });
    expect(created.status).toBe(201);
    const put = await fetch(created.body.uploadUrl, {
      method: 'PUT',
      headers: created.body.headers,
      body: 'abcd',
    });
    expect(put.status).toBe(200);
    const [before] =
      await open.sql`select status, updated_at, completed_at from public.uploads where id = ${created.body.id}`;

    await redis.stop();
    const conns = [open, closed].flatMap((a) => [a.resources.redis, a.resources.rateLimitRedis]);
    await until(() => conns.every((c) => c.status !== 'ready'));

    // complete: 503 problem, row unchanged, nothing enqueued.
    const complete = await request(open.app)
      .post(`/v1/uploads/${created.body.id}/complete`)
      .set(auth);
    expect(complete.status).toBe(503);
    expect(complete.headers['content-type']).toMatch(/problem\+json/);
    expect(complete.headers['retry-after']).toBeDefined();
    const [after] =
      await open.sql`select status, updated_at, completed_at from public.uploads where id = ${created.body.id}`;
    expect(after).toEqual(before);

    // Fail open (default). The global limit is batched: it keeps counting locally while Redis
    // is away, up to maxPending unsent hits per client (15 for the limit of 300 here), then the
    // policy decides: served without a count, logged, counted.
    let served = await request(open.app).get('/v1/uploads/limits');
    for (let i = 0; i < 40 && served.headers.ratelimit !== undefined; i++) {
      expect(served.status).toBe(200);
      served = await request(open.app).get('/v1/uploads/limits');
    }
    expect(served.status).toBe(200);
    expect(served.headers.ratelimit).toBeUndefined();
    expect(await open.metricsRegistry.metrics()).toMatch(
      /rate_limit_store_errors_total\{limiter="global",service="api"\} [1-9]/,
    );
    expect(
      open.logs
        .records()
        .some((r) => r.msg === 'rate-limit store unavailable; letting requests through'),
    ).toBe(true);

    // Fail closed: 503, never a 500 (once the local allowance of unsent hits is used up).
    let refused = await request(closed.app).get('/v1/uploads/limits');
    for (let i = 0; i < 40 && refused.status === 200; i++) {
      refused = await request(closed.app).get('/v1/uploads/limits');
    }
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);

    // Readiness fails; liveness does not.
    expect((await request(open.app).get('/health/ready')).status).toBe(503);
    expect((await request(open.app).get('/health/redis')).status).toBe(503);
    expect((await request(open.app).get('/health/live')).status).toBe(200);
    const full = await request(open.app).get('/health');
    expect(full.status).toBe(503);
    expect(JSON.stringify(full.body)).not.toContain(redis.url);

    // Back: limits count again (the store reloads its scripts), complete enqueues.
    await redis.start();
    for (const c of conns) await waitReady(c, 10000);
    const counted = await request(open.app).get('/v1/uploads/limits');
    expect(counted.status).toBe(200);
    expect(counted.headers.ratelimit).toMatch(/^"global"; r=\d+/);
    expect((await request(closed.app).get('/v1/uploads/limits')).status).toBe(200);
    const retried = await request(open.app)
      .post(`/v1/uploads/${created.body.id}/complete`)
      .set(auth);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('uploaded');
    expect((await open.resources.queue.getJob(created.body.id))?.data.uploadId).toBe(
      created.body.id,
    );
    expect((await request(open.app).get('/health/ready')).status).toBe(200);
  });

  it('reverts the row to pending when the enqueue itself fails after the mark', async () => {
    // The race the connection check cannot see: Redis drops between the check and add().
    const racy = await createTestApi({
      db,
      env: { REDIS_URL: redis.url },
      overrides: {
        jobs: {
          isAvailable: () => true,
          enqueue: () =>
            Promise.reject(
              new Error("Stream isn't writeable and enableOfflineQueue options is false"),
            ),
        },
      },
    });
    try {
      const user = bearer(await tokenFor(racy.config));
      const created = await request(racy.app)
        .post('/v1/uploads')
        .set(user)
        .send({ filename: 'b.png', contentType: 'image/png', size: 2 });
      await fetch(created.body.uploadUrl, {
        method: 'PUT',
        headers: created.body.headers,
        body: 'ab',
      });
      const res = await request(racy.app).post(`/v1/uploads/${created.body.id}/complete`).set(user);
      expect(res.status).toBe(503);
      const [row] =
        await racy.sql`select status, completed_at from public.uploads where id = ${created.body.id}`;
      expect(row).toEqual({ status: 'pending', completed_at: null });
    } finally {
      await racy.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Worker } from 'bullmq';
import request from 'supertest';
import { healthReport } from '@saas/shared/contracts';
import { QUEUES } from '@saas/shared/queue';
import { createRedis } from '@saas/shared/redis';
import { freePort, testServices } from '@saas/shared/test-support';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, type TestApi } from './support/test-api.ts';

describe('health and metrics', () => {
  let api: TestApi;
  let dbDown: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
    const port = await freePort();
    dbDown = await createTestApi({
      db: { url: `postgres://postgres:postgres@127.0.0.1:${port}/none` },
    });
  });
  afterAll(async () => {
    await api?.close();
    await dbDown?.close();
  });

  it('GET /health reports db, redis, storage, worker (degraded without a worker), no secrets', async () => {
    const res = await request(api.app).get('/health');
    expect(res.status).toBe(200);
    const report = healthReport.parse(res.body);
    expect(report.status).toBe('degraded');
    expect(Object.keys(report.checks).sort()).toEqual([
      'db',
      'migrations',
      'redis',
      'storage',
      'worker',
    ]);
    expect(report.checks.db).toMatchObject({ status: 'ok', critical: true });
    expect(report.checks.storage).toMatchObject({ status: 'ok', critical: false });
    expect(report.checks.worker).toMatchObject({ status: 'fail', critical: false });
    const text = JSON.stringify(res.body);
    for (const secret of ['postgres:postgres', testServices.redisUrl, 'S3RVER'])
      expect(text).not.toContain(secret);
  });

  it('GET /health/:check answers one check; /health/worker fails with no live worker, passes with one', async () => {
    expect((await request(api.app).get('/health/db')).status).toBe(200);
    expect((await request(api.app).get('/health/redis')).status).toBe(200);
    expect((await request(api.app).get('/health/storage')).status).toBe(200);
    expect((await request(api.app).get('/health/worker')).status).toBe(503);

    const connection = createRedis(testServices.redisUrl, { role: 'worker' });
    const worker = new Worker(QUEUES.uploads, async () => {}, {
      connection,
      prefix: api.config.env.QUEUE_PREFIX,
    });
    try {
      await worker.waitUntilReady();
      const res = await request(api.app).get('/health/worker');
      expect(res.status).toBe(200);
      expect(res.body.details).toEqual({ workers: 1 });
      expect((await request(api.app).get('/health')).body.status).toBe('ok');
    } finally {
      await worker.close();
      await connection.quit();
    }
  });

  it('GET /health/ready is 200 when ready and 503 once shutdown begins; live stays 200', async () => {
    const draining = await createTestApi();
    try {
      expect((await request(draining.app).get('/health/ready')).status).toBe(200);
      draining.shuttingDown.value = true;
      draining.drain.begin();
      const ready = await request(draining.app).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.ready).toBe(false);
      const live = await request(draining.app).get('/health/live');
      expect(live.status).toBe(200);
      expect(live.headers.connection).toBe('close');
    } finally {
      await draining.close();
    }
  });

  it('database down: 503 for the routes that need it and for readiness, never 500', async () => {
    const auth = bearer(await tokenFor(dbDown.config));
    const list = await request(dbDown.app).get('/v1/uploads').set(auth);
    expect(list.status).toBe(503);
    expect(list.headers['content-type']).toMatch(/problem\+json/);
    expect(list.headers['retry-after']).toBe('5');
    expect(JSON.stringify(list.body)).not.toContain('postgres:postgres');
    const create = await request(dbDown.app)
      .post('/v1/uploads')
      .set(auth)
      .send({ filename: 'a.png', contentType: 'image/png', size: 1 });
    expect(create.status).toBe(503);
    expect((await request(dbDown.app).get(`/v1/uploads/${randomUUID()}`).set(auth)).status).toBe(
      503,
    );
    expect((await request(dbDown.app).get('/health/ready')).status).toBe(503);
    const db = await request(dbDown.app).get('/health/db');
    expect(db.status).toBe(503);
    expect(JSON.stringify(db.body)).not.toContain('postgres:postgres');
    // Routes without the database keep working.
    expect((await request(dbDown.app).get('/v1/me').set(auth)).status).toBe(200);
  });

  it('GET /metrics: Prometheus text with route templates, never raw paths', async () => {
    const auth = bearer(await tokenFor(api.config));
    const id = randomUUID();
    await request(api.app).get(`/v1/uploads/${id}`).set(auth);
    await request(api.app).get(`/totally/unknown/${id}`);
    const res = await request(api.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(text).toMatch(
      /http_request_duration_seconds_count\{service="api",method="GET",route="\/v1\/uploads\/:id",status_code="404"\} 1/,
    );
    expect(text).toMatch(/route="unmatched",status_code="404"/);
    expect(text).toContain('http_requests_in_flight');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).not.toContain(id);
  });

  // Issue 14, item 6: the full report (check names, durations, errors) was public.
  it('with METRICS_TOKEN, anonymous health answers say up/down only; the token shows the report', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const guarded = await createTestApi({ env: { METRICS_TOKEN: token } });
    try {
      for (const path of ['/health', '/health/ready', '/health/live', '/health/db']) {
        const res = await request(guarded.app).get(path);
        expect(res.status).toBeLessThan(600);
        expect(Object.keys(res.body)).toEqual(['status']);
      }
      const wrong = await request(guarded.app)
        .get('/health')
        .set('Authorization', `Bearer ${'w'.repeat(token.length)}`);
      expect(Object.keys(wrong.body)).toEqual(['status']);
      const full = await request(guarded.app)
        .get('/health')
        .set('Authorization', `Bearer ${token}`);
      expect(Object.keys(full.body.checks)).toEqual(expect.arrayContaining(['db', 'redis']));
    } finally {
      await guarded.close();
    }
  });

  it('GET /metrics requires the bearer token when METRICS_TOKEN is set', async () => {
    const guarded = await createTestApi({
      env: { METRICS_TOKEN: 'metrics-token-0123456789abcdef' },
    });
    try {
      expect((await request(guarded.app).get('/metrics')).status).toBe(401);
      expect(
        (
          await request(guarded.app)
            .get('/metrics')
            .set('Authorization', 'Bearer wrong-token-0123456789')
        ).status,
      ).toBe(401);
      const ok = await request(guarded.app)
        .get('/metrics')
        .set('Authorization', 'Bearer metrics-token-0123456789abcdef');
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('http_request_duration_seconds');
    } finally {
      await guarded.close();
    }
  });
});

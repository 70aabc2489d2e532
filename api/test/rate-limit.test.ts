import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createDb, runMigrations } from '@saas/shared/db';
import { createTestDatabase, type TestDatabase } from '@saas/shared/test-support';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, MIGRATIONS_DIR, type TestApi } from './support/test-api.ts';

describe('rate limits (Redis-backed, shared by replicas)', () => {
  let db: TestDatabase;
  const apps: TestApi[] = [];
  const make = async (env: Record<string, string>): Promise<TestApi> => {
    const api = await createTestApi({ db, env });
    apps.push(api);
    return api;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const sql = createDb({ url: db.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end();
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await db?.drop();
  });

  it('limits per client with RateLimit headers, then 429 problem+json with Retry-After', async () => {
    const api = await make({ RATE_LIMIT_MAX: '3' });
    for (let i = 0; i < 3; i++) {
      const ok = await request(api.app).get('/v1/uploads/limits');
      expect(ok.status).toBe(200);
      expect(ok.headers.ratelimit).toMatch(new RegExp(`^"global"; r=${2 - i}; t=\\d+$`));
      expect(ok.headers['ratelimit-policy']).toMatch(/^"global"; q=3; w=60/);
    }
    const limited = await request(api.app).get('/v1/uploads/limits');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(limited.body).toMatchObject({
      status: 429,
      type: 'urn:problem:rate-limited',
      requestId: limited.headers['x-request-id'],
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await api.metricsRegistry.metrics()).toMatch(
      /rate_limit_rejections_total\{limiter="global",service="api"\} 1/,
    );
  });

  it('shares the count between two replicas on the same Redis prefix', async () => {
    const a = await make({ RATE_LIMIT_MAX: '2' });
    const b = await createTestApi({
      db,
      env: { RATE_LIMIT_MAX: '2', RATE_LIMIT_PREFIX: a.config.env.RATE_LIMIT_PREFIX },
    });
    apps.push(b);
    expect((await request(a.app).get('/v1/uploads/limits')).status).toBe(200);
    expect((await request(b.app).get('/v1/uploads/limits')).status).toBe(200);
    expect((await request(a.app).get('/v1/uploads/limits')).status).toBe(429);
  });

  it('never limits health probes or metrics scrapes', async () => {
    const api = await make({ RATE_LIMIT_MAX: '1' });
    for (let i = 0; i < 5; i++) {
      expect((await request(api.app).get('/health/live')).status).toBe(200);
      expect((await request(api.app).get('/metrics')).status).toBe(200);
    }
  });

  it('with TRUST_PROXY_HOPS=0 a forged X-Forwarded-For does not change the client', async () => {
    const api = await make({ RATE_LIMIT_MAX: '2', TRUST_PROXY_HOPS: '0' });
    const codes: number[] = [];
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      codes.push(
        (await request(api.app).get('/v1/uploads/limits').set('X-Forwarded-For', ip)).status,
      );
    }
    expect(codes).toEqual([200, 200, 429]);
  });

  it('with TRUST_PROXY_HOPS=1 the proxy’s X-Forwarded-For is the client', async () => {
    const api = await make({ RATE_LIMIT_MAX: '2', TRUST_PROXY_HOPS: '1' });
    const hit = (xff: string) =>
      request(api.app).get('/v1/uploads/limits').set('X-Forwarded-For', xff);
    expect((await hit('203.0.113.1')).status).toBe(200);
    expect((await hit('203.0.113.1')).status).toBe(200);
    expect((await hit('203.0.113.1')).status).toBe(429);
    // Another client behind the same proxy has its own budget…
    expect((await hit('203.0.113.2')).status).toBe(200);
    // …and only the last hop counts: a client-supplied left-most entry cannot pick a new key.
    expect((await hit('198.51.100.7, 203.0.113.1')).status).toBe(429);
  });

  it('limits creating uploads per user, not per IP', async () => {
    const api = await make({ RATE_LIMIT_UPLOADS_MAX: '2' });
    const body = { filename: 'a.png', contentType: 'image/png', size: 10 };
    const alice = bearer(await tokenFor(api.config, { sub: randomUUID() }));
    const bob = bearer(await tokenFor(api.config, { sub: randomUUID() }));
    expect((await request(api.app).post('/v1/uploads').set(alice).send(body)).status).toBe(201);
    expect((await request(api.app).post('/v1/uploads').set(alice).send(body)).status).toBe(201);
    const limited = await request(api.app).post('/v1/uploads').set(alice).send(body);
    expect(limited.status).toBe(429);
    expect(limited.headers.ratelimit).toContain('"uploads"; r=0');
    expect((await request(api.app).post('/v1/uploads').set(bob).send(body)).status).toBe(201);
    // Reading is not creating.
    expect((await request(api.app).get('/v1/uploads').set(alice)).status).toBe(200);
    expect(await api.metricsRegistry.metrics()).toMatch(
      /rate_limit_rejections_total\{limiter="uploads",service="api"\} 1/,
    );
  });

  it('keeps dev login tight', async () => {
    const api = await make({ RATE_LIMIT_LOGIN_MAX: '2' });
    const login = () => request(api.app).post('/v1/dev/login').send({ email: 'a@example.com' });
    expect((await login()).status).toBe(200);
    expect((await login()).status).toBe(200);
    const limited = await login();
    expect(limited.status).toBe(429);
    expect(limited.headers.ratelimit).toContain('"login"; r=0');
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { problemDetails } from '@saas/shared/contracts';
import { createTestDatabase, type TestDatabase } from '@saas/shared/test-support';
import { runMigrations, createDb } from '@saas/shared/db';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, MIGRATIONS_DIR, type TestApi } from './support/test-api.ts';

const expectProblem = (res: request.Response, status: number): void => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = problemDetails.parse(res.body);
  expect(body.status).toBe(status);
  expect(body.requestId).toBe(res.headers['x-request-id']);
  expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+/); // no stack frames
};

describe('http basics: headers, CORS, request ids, input errors', () => {
  let db: TestDatabase;
  let api: TestApi;
  let prod: TestApi;
  let dev: TestApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    const sql = createDb({ url: db.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end();
    api = await createTestApi({
      db,
      env: { CORS_ORIGIN_PATTERN: 'https://app-[a-z0-9-]+-team\\.vercel\\.app', BODY_LIMIT: '1kb' },
    });
    prod = await createTestApi({
      db,
      env: {
        NODE_ENV: 'production',
        DEV_LOGIN_ENABLED: 'false',
        METRICS_TOKEN: 'metrics-token-0123456789abcdef',
        S3_ACCESS_KEY_ID: 'AKIATESTPRODKEY',
        S3_SECRET_ACCESS_KEY: 'test-production-secret-access-key',
        AUTH_JWT_SECRET: 'p'.repeat(48),
      },
    });
    dev = await createTestApi({ db, env: { NODE_ENV: 'development' } });
  });

  afterAll(async () => {
    await api?.close();
    await prod?.close();
    await dev?.close();
    await db?.drop();
  });

  describe('security headers', () => {
    it('sets the JSON-API CSP, nosniff, Referrer-Policy and no X-Powered-By', async () => {
      const res = await request(api.app).get('/v1/uploads/limits');
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('sets HSTS in production only', async () => {
      const res = await request(prod.app).get('/health/live');
      expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    });

    // Railway's deploy-time healthcheck (.railway/railway.ts: /health/ready) has no token: in
    // production it gets the status code and up/down, and nothing else.
    it("answers Railway's healthcheck in production with up/down only", async () => {
      const res = await request(prod.app)
        .get('/health/ready')
        .set('Host', 'healthcheck.railway.app');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
      const metrics = await request(prod.app).get('/metrics');
      expect(metrics.status).toBe(401);
    });

    it('sets the headers on errors too', async () => {
      const res = await request(api.app).get('/nope');
      expectProblem(res, 404);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('CORS', () => {
    it('allows the configured origin and varies on Origin', async () => {
      const res = await request(api.app)
        .get('/v1/uploads/limits')
        .set('Origin', 'http://localhost:3000');
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(res.headers['access-control-expose-headers']).toContain('X-Request-Id');
      expect(res.headers.vary).toMatch(/Origin/);
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('allows the local web as http://localhost:3000 and http://127.0.0.1:3000 by default, nothing else', async () => {
      for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000']) {
        const preflight = await request(dev.app)
          .options('/v1/uploads')
          .set('Origin', origin)
          .set('Access-Control-Request-Method', 'POST')
          .set('Access-Control-Request-Headers', 'authorization,content-type,x-request-id');
        expect({ origin, status: preflight.status }).toEqual({ origin, status: 204 });
        expect(preflight.headers['access-control-allow-origin']).toBe(origin);
        const res = await request(dev.app).get('/v1/uploads/limits').set('Origin', origin);
        expect(res.headers['access-control-allow-origin']).toBe(origin);
      }
      // Exact origins: another port, scheme or name is not the local web.
      for (const origin of [
        'http://127.0.0.1:3001',
        'https://127.0.0.1:3000',
        'http://0.0.0.0:3000',
        'http://[::1]:3000',
      ]) {
        const res = await request(dev.app).get('/v1/uploads/limits').set('Origin', origin);
        expect({ origin, acao: res.headers['access-control-allow-origin'] }).toEqual({
          origin,
          acao: undefined,
        });
      }
    });

    it('allows an origin matching the preview pattern, anchored at both ends', async () => {
      const ok = await request(api.app)
        .get('/v1/uploads/limits')
        .set('Origin', 'https://app-git-feat-x-team.vercel.app');
      expect(ok.headers['access-control-allow-origin']).toBe(
        'https://app-git-feat-x-team.vercel.app',
      );
      for (const origin of [
        'https://app-x-team.vercel.app.evil.com',
        'https://evil.com/?https://app-x-team.vercel.app',
      ]) {
        const res = await request(api.app).get('/v1/uploads/limits').set('Origin', origin);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
    });

    it('gives a foreign origin no ACAO, and refuses its preflight', async () => {
      const simple = await request(api.app)
        .get('/v1/uploads/limits')
        .set('Origin', 'https://evil.example');
      expect(simple.status).toBe(200);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      expect(simple.headers.vary).toMatch(/Origin/);

      const preflight = await request(api.app)
        .options('/v1/uploads')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expectProblem(preflight, 403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    });

    it('answers an allowed preflight with methods, headers and max-age', async () => {
      const res = await request(api.app)
        .options('/v1/uploads')
        .set('Origin', 'http://localhost:3000')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
      // The web's W3C trace context, and no other tracing header (no tracestate, baggage or
      // sentry-trace: the browser would refuse a call carrying one).
      expect(res.headers['access-control-allow-headers']).toBe(
        'Authorization,Content-Type,X-Request-Id,Idempotency-Key,traceparent',
      );
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(res.headers.vary).toMatch(/Origin/);
    });

    it('does not refuse Railway healthcheck probes (Host healthcheck.railway.app, no Origin)', async () => {
      const live = await request(prod.app)
        .get('/health/live')
        .set('Host', 'healthcheck.railway.app');
      expect(live.status).toBe(200);
      const ready = await request(prod.app)
        .get('/health/ready')
        .set('Host', 'healthcheck.railway.app');
      expect(ready.status).toBe(200);
    });
  });

  describe('request id', () => {
    it('keeps a safe inbound X-Request-Id and echoes it in header, problem and log line', async () => {
      const res = await request(api.app).get('/v1/me').set('X-Request-Id', 'web-1234.abc_DEF');
      expect(res.headers['x-request-id']).toBe('web-1234.abc_DEF');
      expectProblem(res, 401);
      const line = api.logs.records().find((r) => r.requestId === 'web-1234.abc_DEF');
      expect(line).toMatchObject({
        route: '/v1/me',
        statusCode: 401,
        method: 'GET',
        msg: 'request completed',
      });
      expect(typeof line?.durationMs).toBe('number');
    });

    it.each(['has spaces', 'x'.repeat(129), 'semi;colon', '../etc', ''])(
      'replaces an unsafe inbound id %j',
      async (id) => {
        const res = await request(api.app).get('/health/live').set('X-Request-Id', id);
        expect(res.headers['x-request-id']).not.toBe(id);
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      },
    );
  });

  describe('input errors are problem+json, never 500', () => {
    let auth: { Authorization: string };
    beforeAll(async () => {
      auth = bearer(await tokenFor(api.config));
    });

    it('404 for an unknown route', async () => {
      expectProblem(await request(api.app).get('/v2/whatever'), 404);
    });

    it('logs only the shape of an unknown path: a token in a segment stays out of the log', async () => {
      const token = 'Q7hT2kP9xZ4mW8vR3nY6bL1c';
      const res = await request(api.app)
        .get(`/reset-password/${token}`)
        .set('X-Request-Id', 'unknown-path-1');
      expectProblem(res, 404);
      const line = api.logs.records().find((r) => r.requestId === 'unknown-path-1');
      expect(line).toMatchObject({
        route: 'unmatched',
        path: '/:value/:value',
        statusCode: 404,
      });
      expect(JSON.stringify(api.logs.records())).not.toContain(token);
    });

    // The access log carries the route template and well-formed ids, never what a client put
    // in a path segment (issue 14, item 4: an IBAN in /v1/uploads/:id was logged as sent).
    it.each([
      ['an IBAN', 'GB82WEST12345698765432'],
      ['a password', 'correct-horse-battery-staple'],
      ['a national id (US SSN)', '078-05-1120'],
      ['a national id (UK NINO)', 'QQ123456C'],
    ])('keeps %s sent as an upload id out of the access log', async (what, value) => {
      const requestId = `path-attack-${what.length}-${value.length}`;
      for (const path of [`/v1/uploads/${value}`, `/v1/uploads/${value}/complete`]) {
        const res = await request(api.app).get(path).set(auth).set('X-Request-Id', requestId);
        expect([400, 404]).toContain(res.status);
      }
      const lines = api.logs.records().filter((r) => r.requestId === requestId);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ route: '/v1/uploads/:id', statusCode: 400 });
      expect(lines[0]).not.toHaveProperty('path');
      expect(lines[0]).not.toHaveProperty('ids');
      // No route serves GET …/complete: the unmatched line keeps only the API's own words.
      expect(lines[1]).toMatchObject({
        route: 'unmatched',
        path: '/v1/uploads/:value/complete',
        statusCode: 404,
      });
      expect(JSON.stringify(api.logs.records())).not.toContain(value);
    });

    it('logs a well-formed upload id of a matched route under ids', async () => {
      const id = '0b6c3f1e-8d2a-4c57-9e1f-2a3b4c5d6e7f';
      await request(api.app).get(`/v1/uploads/${id}`).set(auth).set('X-Request-Id', 'ids-1');
      const line = api.logs.records().find((r) => r.requestId === 'ids-1');
      expect(line).toMatchObject({ route: '/v1/uploads/:id', ids: { id }, statusCode: 404 });
      expect(line).not.toHaveProperty('path');
    });

    it('415 for a body that is not JSON', async () => {
      const res = await request(api.app)
        .post('/v1/uploads')
        .set(auth)
        .set('Content-Type', 'text/plain')
        .send('hello');
      expectProblem(res, 415);
      const form = await request(api.app)
        .post('/v1/uploads')
        .set(auth)
        .type('form')
        .send({ filename: 'a.png' });
      expectProblem(form, 415);
    });

    it('413 for a body over BODY_LIMIT', async () => {
      const res = await request(api.app)
        .post('/v1/uploads')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ filename: 'a'.repeat(2000), contentType: 'image/png', size: 1 }));
      expectProblem(res, 413);
    });

    it('400 for malformed JSON and for a JSON scalar', async () => {
      const res = await request(api.app)
        .post('/v1/uploads')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('{"filename":');
      expectProblem(res, 400);
      expect(res.body.type).toBe('urn:problem:malformed-json');
      const scalar = await request(api.app)
        .post('/v1/uploads')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('"x"');
      expectProblem(scalar, 400);
    });

    it('400 with field errors by path, unknown fields included', async () => {
      const res = await request(api.app)
        .post('/v1/uploads')
        .set(auth)
        .send({ filename: '', contentType: 'png', size: -1, admin: true });
      expectProblem(res, 400);
      const paths = (res.body.errors as { path: string; location: string }[])
        .map((e) => `${e.location}:${e.path}`)
        .sort();
      expect(paths).toEqual(['body:admin', 'body:contentType', 'body:filename', 'body:size']);
    });

    it('400 for a missing body', async () => {
      const res = await request(api.app).post('/v1/uploads').set(auth);
      expectProblem(res, 400);
      expect(res.body.detail).toBe('A JSON body is required.');
    });

    it('400 for a malformed id and an unknown query field', async () => {
      const id = await request(api.app).get('/v1/uploads/not-a-uuid').set(auth);
      expectProblem(id, 400);
      expect(id.body.errors[0]).toMatchObject({ location: 'params', path: 'id' });
      const q = await request(api.app).get('/v1/uploads?sort=desc').set(auth);
      expectProblem(q, 400);
      expect(q.body.errors[0]).toMatchObject({ location: 'query', path: 'sort' });
    });

    it('accepts application/json with a charset and +json types', async () => {
      const res = await request(api.app)
        .post('/v1/uploads')
        .set(auth)
        .set('Content-Type', 'application/merge-patch+json; charset=utf-8')
        .send(JSON.stringify({ filename: 'a.png', contentType: 'image/png', size: 3 }));
      expect(res.status).toBe(201);
    });

    it('shows no stack in a 4xx, even in development', async () => {
      const res = await request(dev.app).get('/v1/nope');
      expectProblem(res, 404);
      expect(res.body.stack).toBeUndefined();
    });
  });
});

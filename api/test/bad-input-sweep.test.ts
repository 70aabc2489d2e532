import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { apiRoutes, pathFor, problemDetails } from '@saas/shared/contracts';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, type TestApi } from './support/test-api.ts';

// Every route of the contract, plus the unversioned ones.
const ROUTES: { method: string; path: string }[] = [
  ...Object.values(apiRoutes).map((r) => ({ method: r.method, path: r.path })),
  { method: 'GET', path: '/health/live' },
  { method: 'GET', path: '/health/ready' },
  { method: 'GET', path: '/health/:check' },
  { method: 'GET', path: '/metrics' },
];

const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'] as const;

const segment = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'limits',
    '..',
    '%',
    '%zz',
    '%00',
    'null',
    '0',
    '-1',
    "' or 1=1 --",
    'a'.repeat(300),
  ),
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc
    .record(
      {
        filename: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)),
        contentType: fc.oneof(
          fc.constantFrom('image/png', 'IMAGE/PNG', 'text/html', '*/*', ''),
          fc.string(),
        ),
        size: fc.oneof(
          fc.integer(),
          fc.double(),
          fc.bigInt().map(String),
          fc.constant(null),
          fc.constant(1e308),
        ),
        email: fc.oneof(fc.emailAddress(), fc.string()),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
);

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/vnd.api+json',
  'garbage',
);

const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?limit=0',
    '?limit=abc',
    '?limit=1e9',
    '?limit=5&limit=6',
    '?cursor=',
    '?cursor=%ff',
    '?cursor[a]=b',
    '?x=1',
  ),
  fc.string({ maxLength: 50 }).map((s) => `?${encodeURIComponent(s)}=${encodeURIComponent(s)}`),
);

describe('bad-input sweep over every route', () => {
  let api: TestApi;
  let goodToken: string;

  beforeAll(async () => {
    api = await createTestApi({
      env: {
        RATE_LIMIT_MAX: '100000',
        RATE_LIMIT_UPLOADS_MAX: '100000',
        RATE_LIMIT_LOGIN_MAX: '100000',
      },
    });
    goodToken = await tokenFor(api.config, { sub: randomUUID() });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('finds no 5xx, and every error is problem+json with the request id', async () => {
    const auth = fc.constantFrom(
      undefined,
      'good',
      'Bearer garbage',
      'Bearer a.b.c',
      'Basic x',
      `Bearer ${'a'.repeat(5000)}`,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(fc.constant(undefined), fc.constantFrom(...METHODS)),
        segment,
        query,
        body,
        contentType,
        auth,
        async (route, method, seg, q, payload, type, authorization) => {
          const path = pathFor(route.path, { id: seg, check: seg }) + q;
          const m = (method ?? route.method).toLowerCase() as
            'get' | 'post' | 'delete' | 'put' | 'patch' | 'options' | 'head';
          let req = request(api.app)[m](path);
          if (authorization === 'good') req = req.set(bearer(goodToken));
          else if (authorization) req = req.set('Authorization', authorization);
          if (type) req = req.set('Content-Type', type);
          if (payload !== undefined && m !== 'get' && m !== 'head') req = req.send(payload);
          const res = await req;
          expect(res.status).toBeLessThan(500);
          if (
            res.status >= 400 &&
            m !== 'head' &&
            !path.startsWith('/health') &&
            !path.startsWith('/metrics')
          ) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(problemDetails.parse(res.body).requestId).toBe(res.headers['x-request-id']);
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(api.reporter.events).toEqual([]);
  }, 120_000);

  it.each([
    ['GET', '/v1/uploads/%zz'],
    ['GET', '/v1/uploads/%E0%A4%A'],
    ['DELETE', '/v1/uploads/%'],
    ['GET', '/health/%zz'],
    ['POST', '/v1/uploads/%C0%AE%C0%AE/complete'],
    ['GET', '/v1/uploads?limit[$gt]=1'],
  ])('raw malformed request %s %s is a 4xx problem', async (method, path) => {
    const verb = method.toLowerCase() as 'get' | 'post' | 'delete';
    const res = await request(api.app)[verb](path).set(bearer(goodToken));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

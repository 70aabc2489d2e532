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

const b64url = (s: string): string => Buffer.from(s).toString('base64url');

// Cursors: opaque to clients, but a client can send anything. Shapes close to a real one
// (base64url of [timestamp, uuid]) reach the database: each timestamp below is accepted by
// Date.parse and must still never become a 500.
const cursorTimestamp = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2024-02-30',
    '2024-13-01 00:00:00+00',
    '1',
    '2024',
    'Tue Jan 01 2024',
    'Jan 1, 2024 10:00 PM',
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00Z',
    '0000-01-01 00:00:00+00',
    '2026-12-07 19:22:41.123456+00',
    '2026-12-07 19:22:41.123456789+00',
    '2026-12-07 19:22:41+14:30',
  ),
  fc.string({ maxLength: 40 }),
);
const cursor = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc
    .tuple(cursorTimestamp, fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })))
    .map((t) => b64url(JSON.stringify(t))),
  fc.jsonValue({ maxDepth: 2 }).map((v) => b64url(JSON.stringify(v))),
  fc.constantFrom('', '%ff', 'a'.repeat(201), b64url('[]'), b64url('["",""]')),
);

// Every query parameter of every route's contract, each with hostile values, plus extras.
const queryKeys = [
  ...new Set(
    Object.values(apiRoutes).flatMap((r) =>
      'query' in r && r.query ? Object.keys((r.query as { shape: object }).shape) : [],
    ),
  ),
];
const queryValue = fc.oneof(
  cursor,
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('', '0', '-1', '1e9', 'NaN', 'Infinity', '0x10', '[]', '{}', 'a'.repeat(300)),
  fc.string({ maxLength: 30 }),
);
const contractQuery = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...queryKeys), fc.constantFrom(...queryKeys.map((k) => `${k}[]`))),
      queryValue,
    ),
    { maxLength: 4 },
  )
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`,
  );

const query = fc.oneof(
  contractQuery,
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

  // Issue 14, item 9: the sweep above now generates cursors; this one sends only list requests
  // with a good token, so every generated cursor and parameter reaches the list query.
  it('lists with any cursor and any query parameter: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(contractQuery, cursor, async (q, c) => {
        for (const path of [`/v1/uploads${q}`, `/v1/uploads?cursor=${encodeURIComponent(c)}`]) {
          const res = await request(api.app).get(path).set(bearer(goodToken));
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          }
        }
      }),
      { numRuns: 300 },
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

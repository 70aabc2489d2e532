import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc, { type Arbitrary } from 'fast-check';
import request from 'supertest';
import { buildOpenApiDocument } from '../src/openapi/build-document.ts';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { schemaArbitraries } from './support/schema-arbitrary.ts';
import { createTestApi, type TestApi } from './support/test-api.ts';

type Json = Record<string, unknown>;
const doc = buildOpenApiDocument();
const { valid, invalid, resolve } = schemaArbitraries(doc as Json);

interface Op {
  method: 'get' | 'post' | 'delete';
  path: string;
  op: Json;
}
const OPS: Op[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ method: method as Op['method'], path, op })),
);

interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Json;
}

describe('schema-driven sweep: generated valid and invalid input for every operation', () => {
  let api: TestApi;
  let token: string;
  let otherToken: string;
  const known = { ids: [] as string[], cursors: [] as string[] };

  beforeAll(async () => {
    api = await createTestApi({
      env: {
        RATE_LIMIT_MAX: '100000',
        RATE_LIMIT_UPLOADS_MAX: '100000',
        RATE_LIMIT_LOGIN_MAX: '100000',
      },
    });
    token = await tokenFor(api.config, { sub: randomUUID(), email: 'sweep@example.com' });
    otherToken = await tokenFor(api.config, { sub: randomUUID() });
    // Real ids and a real cursor, so the sweep reaches past the 404s and into pagination.
    for (let i = 0; i < 3; i++) {
      const res = await request(api.app)
        .post('/v1/uploads')
        .set(bearer(token))
        .send({ filename: `f${i}.png`, contentType: 'image/png', size: 10 });
      expect(res.status).toBe(201);
      known.ids.push(res.body.id as string);
    }
    const page = await request(api.app).get('/v1/uploads?limit=1').set(bearer(token));
    expect(page.body.nextCursor).toEqual(expect.any(String));
    known.cursors.push(page.body.nextCursor as string);
  });
  afterAll(async () => {
    await api?.close();
  });

  /** One request for an operation: every parameter valid, invalid or absent; the body too. */
  const requestFor = (o: Op) => {
    const params = ((o.op.parameters ?? []) as Json[]).map((p) => resolve(p) as unknown as Param);
    const paramArbs: Record<string, Arbitrary<unknown>> = {};
    for (const p of params) {
      const options: Arbitrary<unknown>[] = [valid(p.schema), invalid(p.schema)];
      if (p.in === 'path' && p.name === 'id') options.push(fc.constantFrom(...known.ids));
      if (p.name === 'cursor') options.push(fc.constantFrom(...known.cursors));
      if (!p.required) options.push(fc.constant(undefined));
      paramArbs[`${p.in}:${p.name}`] = fc.oneof(...options);
    }
    const bodySchema = (
      (o.op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined
    )?.['application/json']?.schema as Json | undefined;
    const body = bodySchema
      ? fc.oneof(valid(bodySchema), valid(bodySchema), invalid(bodySchema), fc.constant(undefined))
      : fc.constant(undefined);
    const auth = fc.constantFrom('good', 'good', 'other', 'none', 'garbage');
    return fc.record({ params: fc.record(paramArbs), body, auth });
  };

  it.each(OPS.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s: no 5xx, every answer declared, every error a problem+json',
    async (_name, o) => {
      const responses = o.op.responses as Json;
      await fc.assert(
        fc.asyncProperty(requestFor(o), async ({ params, body, auth }) => {
          let path = o.path;
          const query = new URLSearchParams();
          const headers: Record<string, string> = {};
          for (const [key, value] of Object.entries(params)) {
            if (value === undefined) continue;
            const [where, name] = key.split(':') as [string, string];
            const text = typeof value === 'string' ? value : JSON.stringify(value);
            if (where === 'path') path = path.replace(`{${name}}`, encodeURIComponent(text));
            else if (where === 'query') query.set(name, text);
            // Header values cannot carry control characters (the client refuses to send them).
            else headers[name] = text.replace(/[^\x20-\x7e]/g, '?');
          }
          if (auth === 'good') Object.assign(headers, bearer(token));
          if (auth === 'other') Object.assign(headers, bearer(otherToken));
          if (auth === 'garbage') headers.Authorization = 'Bearer not.a.token';
          // A path parameter left out still has to fill its segment.
          path = path.replace(/\{[^}]+\}/g, 'missing');
          const url = query.size > 0 ? `${path}?${query.toString()}` : path;
          let req = request(api.app)[o.method](url).set(headers);
          // Any JSON value, scalars included (supertest would send a bare string as a form).
          if (body !== undefined)
            req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
          const res = await req;

          expect(res.status).toBeLessThan(500);
          expect(Object.keys(responses)).toContain(String(res.status));
          if (res.status >= 400 && o.path.startsWith('/v1')) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            // A replay (the same Idempotency-Key sent again) answers the first request's body,
            // request id included, by design (docs/api.md); every other error names this one.
            if (res.headers['idempotent-replayed'] === 'true')
              expect(res.body.requestId).toEqual(expect.any(String));
            else expect(res.body.requestId).toBe(res.headers['x-request-id']);
          }
        }),
        { numRuns: 60 },
      );
      expect(api.reporter.events).toEqual([]);
    },
    120_000,
  );
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createDb, runMigrations } from '@saas/shared/db';
import { createTestDatabase, testServices, type TestDatabase } from '@saas/shared/test-support';
import { createS3Storage, type ObjectStorage } from '@saas/shared/storage';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, MIGRATIONS_DIR, type TestApi } from './support/test-api.ts';

/** The real S3 adapter with one method broken by a bug (a plain Error, not a StorageError). */
const buggyStorage = (): ObjectStorage => {
  const real = createS3Storage({ ...testServices.s3 });
  return {
    ...real,
    createUploadUrl: async () => {
      throw new TypeError('Cannot read properties of undefined (reading "url")');
    },
  };
};

describe('unexpected errors: 500 problem, Sentry with ids, logs without secrets', () => {
  let db: TestDatabase;
  let api: TestApi;
  let dev: TestApi;
  let devNoOptIn: TestApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    const sql = createDb({ url: db.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end();
    // Without the dev-login opt-in (as deployed): its own HS256 secret, no dev login.
    api = await createTestApi({
      db,
      env: { DEV_LOGIN_ENABLED: 'false', AUTH_JWT_SECRET: 'e'.repeat(48) },
      overrides: { storage: buggyStorage() },
    });
    // testEnv opts into the dev login (on loopback): stacks in 500 bodies come with it.
    dev = await createTestApi({
      db,
      env: { NODE_ENV: 'development' },
      overrides: { storage: buggyStorage() },
    });
    devNoOptIn = await createTestApi({
      db,
      env: { NODE_ENV: 'development', DEV_LOGIN_ENABLED: 'false', AUTH_JWT_SECRET: 'd'.repeat(48) },
      overrides: { storage: buggyStorage() },
    });
  });
  afterAll(async () => {
    await api?.close();
    await dev?.close();
    await devNoOptIn?.close();
    await db?.drop();
  });

  it('answers 500 problem+json without a stack, and reports it with requestId and userId tags', async () => {
    const sub = randomUUID();
    const token = await tokenFor(api.config, { sub, email: 'victim@example.com' });
    const res = await request(api.app)
      .post('/v1/uploads')
      .set(bearer(token))
      .set('X-Request-Id', 'bug-req-1')
      .send({ filename: 'a.png', contentType: 'image/png', size: 1 });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body).toMatchObject({
      status: 500,
      type: 'urn:problem:internal',
      requestId: 'bug-req-1',
    });
    expect(res.body.stack).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain('Cannot read');

    expect(api.reporter.events).toHaveLength(1);
    expect(api.reporter.events[0]!.ctx).toEqual({
      requestId: 'bug-req-1',
      userId: sub,
      tags: { route: '/v1/uploads', status: '500' },
    });
    expect(api.reporter.events[0]!.err).toBeInstanceOf(TypeError);

    const logged = api.logs.records().filter((r) => r.requestId === 'bug-req-1');
    expect(logged.map((r) => r.msg)).toEqual(
      expect.arrayContaining(['unhandled error', 'request failed']),
    );
    expect(logged.find((r) => r.msg === 'request failed')).toMatchObject({
      statusCode: 500,
      userId: sub,
      route: '/v1/uploads',
    });
    const all = api.logs.lines.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain('victim@example.com');
  });

  it('shows the stack only with the explicit dev-login opt-in', async () => {
    const res = await request(dev.app)
      .post('/v1/uploads')
      .set(bearer(await tokenFor(dev.config)))
      .send({ filename: 'a.png', contentType: 'image/png', size: 1 });
    expect(res.status).toBe(500);
    expect(res.body.stack).toMatch(/TypeError/);
  });

  // Issue 14, item 5: NODE_ENV=development alone (a deploy with the wrong NODE_ENV) used to
  // put stack traces in every 500 body.
  it('shows no stack with NODE_ENV=development but no opt-in', async () => {
    const res = await request(devNoOptIn.app)
      .post('/v1/uploads')
      .set(bearer(await tokenFor(devNoOptIn.config)))
      .send({ filename: 'a.png', contentType: 'image/png', size: 1 });
    expect(res.status).toBe(500);
    expect(res.body.stack).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('does not report client mistakes', async () => {
    const before = api.reporter.events.length;
    await request(api.app)
      .post('/v1/uploads')
      .set(bearer(await tokenFor(api.config)))
      .send({ nope: 1 });
    await request(api.app).get('/v1/me');
    expect(api.reporter.events.length).toBe(before);
  });
});

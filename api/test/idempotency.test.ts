import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createDb, runMigrations } from '@saas/shared/db';
import type { ObjectStorage } from '@saas/shared/storage';
import {
  createTestDatabase,
  startPrivateRedis,
  uniqueId,
  type PrivateRedis,
  type TestDatabase,
} from '@saas/shared/test-support';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, MIGRATIONS_DIR, waitReady, type TestApi } from './support/test-api.ts';

const FILE = { filename: 'a.png', contentType: 'image/png', size: 4 };

/** Resolves when released: holds a request inside the service, after the key is claimed. */
const gate = () => {
  let open!: () => void;
  let entered!: () => void;
  const released = new Promise<void>((r) => (open = r));
  const reached = new Promise<void>((r) => (entered = r));
  return { released, reached, open: () => open(), enter: () => entered() };
};

describe('Idempotency-Key on POST /v1/uploads and POST /v1/uploads/:id/complete', () => {
  let db: TestDatabase;
  let a: TestApi;
  let b: TestApi;
  const held = { current: undefined as ReturnType<typeof gate> | undefined };
  // Both apps are replicas: the same database and the same idempotency records in Redis.
  const shared = { IDEMPOTENCY_PREFIX: `${uniqueId('idem')}:`, IDEMPOTENCY_TTL_S: '120' };
  let user: { Authorization: string };
  let other: { Authorization: string };

  const rows = async (): Promise<number> =>
    Number((await a.sql<{ n: string }[]>`select count(*) as n from public.uploads`)[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase();
    const sql = createDb({ url: db.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end();
    a = await createTestApi({ db, env: shared });
    // Replica b signs upload URLs through a storage that can hold a request mid-flight.
    const real = a.resources.storage;
    const slow: ObjectStorage = Object.assign(Object.create(real) as ObjectStorage, {
      createUploadUrl: async (...args: Parameters<ObjectStorage['createUploadUrl']>) => {
        const g = held.current;
        if (g) {
          g.enter();
          await g.released;
        }
        return real.createUploadUrl(...args);
      },
    });
    b = await createTestApi({ db, env: shared, overrides: { storage: slow } });
    user = bearer(await tokenFor(a.config, { sub: randomUUID() }));
    other = bearer(await tokenFor(a.config, { sub: randomUUID() }));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('replays the first answer for the same key and body, without a second upload', async () => {
    const before = await rows();
    const key = randomUUID();
    const first = await request(a.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', key)
      .send(FILE);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Another replica, keys in another order: the same request.
    const again = await request(b.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', key)
      .send({ size: 4, contentType: 'image/png', filename: 'a.png' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    // A fresh request id: the replay is a request of its own in the logs.
    expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(await rows()).toBe(before + 1);

    // The record lives for IDEMPOTENCY_TTL_S.
    const keys = await a.resources.redis.keys(`${shared.IDEMPOTENCY_PREFIX}*`);
    const ttls = await Promise.all(keys.map((k) => a.resources.redis.pttl(k)));
    expect(Math.max(...ttls)).toBeGreaterThan(60_000);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(120_000);
  });

  it('refuses the same key with a different body (422) and keeps keys per user', async () => {
    const key = randomUUID();
    const first = await request(a.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', key)
      .send(FILE);
    expect(first.status).toBe(201);
    const before = await rows();
    const changed = await request(a.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', key)
      .send({ ...FILE, size: 5 });
    expect(changed.status).toBe(422);
    expect(changed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(changed.body.type).toBe('urn:problem:idempotency-key-reused');
    expect(await rows()).toBe(before);

    // Another user's identical key is another key.
    const theirs = await request(a.app)
      .post('/v1/uploads')
      .set(other)
      .set('Idempotency-Key', key)
      .send(FILE);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(first.body.id);
    expect(await rows()).toBe(before + 1);
  });

  it('answers 409 while the first request is in flight, then replays it', async () => {
    const before = await rows();
    const key = randomUUID();
    const g = (held.current = gate());
    const slowFirst = request(b.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', key)
      .send(FILE)
      .then((r) => r);
    await g.reached;
    const during = await request(a.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', key)
      .send(FILE);
    expect(during.status).toBe(409);
    expect(during.body.type).toBe('urn:problem:idempotency-in-flight');
    expect(during.headers['retry-after']).toBe('1');
    held.current = undefined;
    g.open();
    const first = await slowFirst;
    expect(first.status).toBe(201);
    const after = await request(a.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', key)
      .send(FILE);
    expect(after.status).toBe(201);
    expect(after.body.id).toBe(first.body.id);
    expect(await rows()).toBe(before + 1);
  });

  it('two replicas receiving the same key at once create one upload', async () => {
    for (let round = 0; round < 5; round++) {
      const before = await rows();
      const key = randomUUID();
      const send = (app: TestApi) =>
        request(app.app).post('/v1/uploads').set(user).set('Idempotency-Key', key).send(FILE);
      const answers = await Promise.all([send(a), send(b), send(a), send(b)]);
      const created = answers.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const r of answers) expect([201, 409]).toContain(r.status);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      expect(created.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
      expect(await rows()).toBe(before + 1);
    }
  });

  it('complete: the same key replays; the same key on another upload is a 422', async () => {
    const one = await request(a.app).post('/v1/uploads').set(user).send(FILE);
    const two = await request(a.app).post('/v1/uploads').set(user).send(FILE);
    for (const u of [one, two]) {
      const put = await fetch(u.body.uploadUrl, {
        method: 'PUT',
        headers: u.body.headers,
        body: 'abcd',
      });
      expect(put.status).toBe(200);
    }
    const key = randomUUID();
    const done = await request(a.app)
      .post(`/v1/uploads/${one.body.id}/complete`)
      .set(user)
      .set('Idempotency-Key', key);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('uploaded');
    const replayed = await request(b.app)
      .post(`/v1/uploads/${one.body.id}/complete`)
      .set(user)
      .set('Idempotency-Key', key);
    expect(replayed.status).toBe(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(done.body);
    const elsewhere = await request(a.app)
      .post(`/v1/uploads/${two.body.id}/complete`)
      .set(user)
      .set('Idempotency-Key', key);
    expect(elsewhere.status).toBe(422);
    const [row] = await a.sql`select status from public.uploads where id = ${two.body.id}`;
    expect(row!.status).toBe('pending');
  });

  it('does not keep answers a retry could change (404): the key is free again', async () => {
    const key = randomUUID();
    const missing = randomUUID();
    const records = () => a.resources.redis.keys(`${shared.IDEMPOTENCY_PREFIX}*`);
    const before = (await records()).length;
    const first = await request(a.app)
      .post(`/v1/uploads/${missing}/complete`)
      .set(user)
      .set('Idempotency-Key', key);
    expect(first.status).toBe(404);
    expect(await records()).toHaveLength(before);
    const again = await request(a.app)
      .post(`/v1/uploads/${missing}/complete`)
      .set(user)
      .set('Idempotency-Key', key);
    expect(again.status).toBe(404);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  it('refuses a malformed key with a 400 naming the header', async () => {
    const res = await request(a.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', 'has space')
      .send(FILE);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        location: 'headers',
        path: 'Idempotency-Key',
        code: 'invalid_format',
      }),
    ]);
  });
});

// A private redis-server: the shared one serves other suites.
describe('Idempotency-Key while Redis is down', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let api: TestApi;
  let user: { Authorization: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    const sql = createDb({ url: db.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end();
    redis = await startPrivateRedis();
    api = await createTestApi({ db, env: { REDIS_URL: redis.url } });
    user = bearer(await tokenFor(api.config, { sub: randomUUID() }));
  });
  afterAll(async () => {
    await api?.close();
    await redis?.destroy();
    await db?.drop();
  });

  it('answers 503 for a keyed write and writes nothing; unkeyed writes are not affected', async () => {
    const key = randomUUID();
    await redis.stop();
    const conn = api.resources.rateLimitRedis;
    for (let i = 0; i < 250 && conn.status === 'ready'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(conn.status).not.toBe('ready');

    const keyed = await request(api.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', key)
      .send(FILE);
    expect(keyed.status).toBe(503);
    expect(keyed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(keyed.headers['retry-after']).toBe('5');
    expect(keyed.body.detail).toBe('Idempotency keys are unavailable; retry shortly.');
    expect(await api.sql`select id from public.uploads`).toHaveLength(0);

    // Without a key the API does not need Redis for this write (rate limits fail open).
    const plain = await request(api.app).post('/v1/uploads').set(user).send(FILE);
    expect(plain.status).toBe(201);

    // Back: the same key now runs once.
    await redis.start();
    await waitReady(conn, 10_000);
    const retried = await request(api.app)
      .post('/v1/uploads')
      .set(user)
      .set('Idempotency-Key', key)
      .send(FILE);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await api.sql`select id from public.uploads`).toHaveLength(2);
  });
});

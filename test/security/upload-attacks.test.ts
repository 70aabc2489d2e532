import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  createUploadResponse,
  downloadUploadResponse,
  upload as uploadSchema,
  uploadObjectKeys,
} from '@saas/shared/contracts';
import { createS3Storage, type ObjectStorage } from '@saas/shared/storage';
import {
  makePdf,
  makePng,
  testServices,
  testS3Env,
  uniqueId,
  waitUntil,
} from '@saas/shared/test-support';
import { bearer, tokenFor } from '../../api/test/support/auth-helpers.ts';
import { createTestApi, type TestApi } from '../../api/test/support/test-api.ts';
import { startWorker, type RunningWorker } from '../../worker/test/support/harness.ts';

// Attack tests for issue 14, items 1 and 3, against the real API (createApp on the real
// services), a real worker process, PostgreSQL and the S3 server. s3rver does not verify
// presigned signatures (docs/decisions/0005-local-s3-server.md): a PUT with any bytes to a
// signed URL "succeeds" here, so none of the defences below may rely on the store refusing it.

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('uploads under attack (real API, worker process, PostgreSQL, S3)', () => {
  let api: TestApi;
  let worker: RunningWorker;
  let storage: ObjectStorage;
  let alice: { Authorization: string };
  const aliceId = randomUUID();
  // Decoys in the users' bucket where the old backups went: a tampered row points at one
  // (object_key is unique, so one decoy per test).
  const decoyBytes = Buffer.from('PGDMP pretend this is every user in the database');
  const decoys: string[] = [];

  beforeAll(async () => {
    api = await createTestApi({
      env: { UPLOAD_MAX_BYTES: '100000', UPLOAD_ALLOWED_TYPES: 'image/png,application/pdf' },
    });
    alice = bearer(await tokenFor(api.config, { sub: aliceId }));
    storage = createS3Storage({ ...testServices.s3 });
    worker = await startWorker({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: api.config.env.DATABASE_URL,
      DATABASE_POOL_MAX: '4',
      REDIS_URL: api.config.env.REDIS_URL,
      QUEUE_PREFIX: api.config.env.QUEUE_PREFIX,
      ...testS3Env,
      UPLOAD_ALLOWED_TYPES: 'image/png,application/pdf',
      CLEANUP_EVERY_MS: '1000',
      HEALTH_CACHE_MS: '0',
    });
  });

  afterAll(async () => {
    await worker?.kill();
    for (const key of decoys) await storage?.delete(key);
    await storage?.close();
    await api?.close();
  });

  const decoyIntact = async (decoyKey: string): Promise<void> => {
    expect(await storage.head(decoyKey)).toMatchObject({ size: decoyBytes.length });
  };

  /** POST /v1/uploads + PUT to the signed URL; returns what the client got. */
  const createAndPut = async (bytes: Buffer, contentType: string) => {
    const res = await request(api.app)
      .post('/v1/uploads')
      .set(alice)
      .send({ filename: 'photo.png', contentType, size: bytes.length });
    expect(res.status).toBe(201);
    const created = createUploadResponse.parse(res.body);
    const put = await fetch(created.uploadUrl, {
      method: 'PUT',
      headers: created.headers,
      body: bytes,
    });
    await put.arrayBuffer();
    expect(put.status).toBe(200);
    return created;
  };

  const complete = async (id: string) => {
    const res = await request(api.app).post(`/v1/uploads/${id}/complete`).set(alice);
    expect(res.status).toBe(200);
  };

  const waitForStatus = async (id: string, statuses: string[]) => {
    let body: ReturnType<typeof uploadSchema.parse> | undefined;
    await waitUntil(`upload ${id} to be ${statuses.join('|')}`, async () => {
      const res = await request(api.app).get(`/v1/uploads/${id}`).set(alice);
      body = uploadSchema.parse(res.body);
      return statuses.includes(body.status);
    });
    return body!;
  };

  const download = async (id: string) => {
    const res = await request(api.app).get(`/v1/uploads/${id}/download`).set(alice);
    expect(res.status).toBe(200);
    const { url } = downloadUploadResponse.parse(res.body);
    const got = await fetch(url);
    return { url, status: got.status, bytes: Buffer.from(await got.arrayBuffer()) };
  };

  /**
   * Plants a decoy object and points the row at it, as a superuser with direct database access
   * would (or a Data API client before the grants were narrowed). Returns the decoy's key.
   */
  const tamper = async (id: string): Promise<string> => {
    const decoyKey = `backups/${uniqueId('decoy-')}-20261207T000000Z.dump`;
    decoys.push(decoyKey);
    const decoy = await storage.createUploadUrl(decoyKey, {
      contentType: 'application/octet-stream',
      size: decoyBytes.length,
      expiresInS: 60,
    });
    const put = await fetch(decoy.url, { method: 'PUT', headers: decoy.headers, body: decoyBytes });
    await put.arrayBuffer();
    expect(put.status).toBe(200);
    await api.sql`update public.uploads set object_key = ${decoyKey} where id = ${id}`;
    return decoyKey;
  };

  // Item 3.
  it('serves the verified bytes after the client PUTs other bytes of the same length to its signed URL', async () => {
    const png = makePng(32, 32, { noise: true });
    const created = await createAndPut(png, 'image/png');
    await complete(created.id);
    const ready = await waitForStatus(created.id, ['ready', 'rejected', 'failed']);
    expect(ready).toMatchObject({ status: 'ready', sha256: sha256(png) });

    // The attack: the signed PUT URL is still valid after the worker verified the object.
    const other = randomBytes(png.length);
    const replaced = await fetch(created.uploadUrl, {
      method: 'PUT',
      headers: created.headers,
      body: other,
    });
    await replaced.arrayBuffer();
    expect(replaced.status).toBe(200);

    const got = await download(created.id);
    expect(got.status).toBe(200);
    expect(sha256(got.bytes)).toBe(sha256(png));
    expect(got.bytes.equals(png)).toBe(true);
    const again = await waitForStatus(created.id, ['ready']);
    expect(again.sha256).toBe(sha256(got.bytes));
    // Served from the worker's private copy, not from the key the client can write.
    const keys = uploadObjectKeys(aliceId, created.id);
    expect(decodeURIComponent(new URL(got.url).pathname)).toBe(
      `/${testServices.s3.bucket}/${keys.verified}`,
    );
  });

  // Item 1: download and delete.
  it('never signs, serves or deletes a tampered object_key: download and delete use the derived keys', async () => {
    const png = makePng(16, 16, { noise: true });
    const created = await createAndPut(png, 'image/png');
    await complete(created.id);
    await waitForStatus(created.id, ['ready']);
    const decoyKey = await tamper(created.id);

    const got = await download(created.id);
    expect(got.url).not.toContain('backups');
    expect(got.bytes.equals(png)).toBe(true);

    const del = await request(api.app).delete(`/v1/uploads/${created.id}`).set(alice);
    expect(del.status).toBe(204);
    await decoyIntact(decoyKey);
    const keys = uploadObjectKeys(aliceId, created.id);
    expect(await storage.head(keys.verified)).toBeNull();
    expect(await storage.head(keys.incoming)).toBeNull();
  });

  // Item 1: complete (HEAD) and the worker's ready path.
  it('completes and processes the uploaded object, not the tampered key', async () => {
    const png = makePng(20, 20, { noise: true });
    const created = await createAndPut(png, 'image/png');
    // Tampered before complete: the API would HEAD the decoy and the worker hash it.
    const decoyKey = await tamper(created.id);
    await complete(created.id);
    const done = await waitForStatus(created.id, ['ready', 'rejected', 'failed']);
    expect(done).toMatchObject({ status: 'ready', sha256: sha256(png), size: png.length });
    expect((await download(created.id)).bytes.equals(png)).toBe(true);
    await decoyIntact(decoyKey);
  });

  // Item 1: the worker's reject path deletes objects.
  it('the worker’s reject path deletes the derived keys, never the tampered one', async () => {
    const pdf = makePdf();
    const created = await createAndPut(pdf, 'image/png');
    const decoyKey = await tamper(created.id);
    await complete(created.id);
    const done = await waitForStatus(created.id, ['ready', 'rejected', 'failed']);
    expect(done.status).toBe('rejected');
    await decoyIntact(decoyKey);
    const keys = uploadObjectKeys(aliceId, created.id);
    expect(await storage.head(keys.incoming)).toBeNull();
    expect(await storage.head(keys.verified)).toBeNull();
  });

  // Item 1: the cleanup job deletes objects of expired pending uploads.
  it('the cleanup job removes an expired pending upload’s own object, never the tampered key', async () => {
    const png = makePng(8, 8);
    const created = await createAndPut(png, 'image/png');
    const decoyKey = await tamper(created.id);
    await api.sql`update public.uploads set expires_at = now() - interval '1 minute' where id = ${created.id}`;
    await waitUntil(
      'the cleanup job to remove the expired row',
      async () =>
        (await api.sql`select 1 from public.uploads where id = ${created.id}`).length === 0,
    );
    await decoyIntact(decoyKey);
    expect(await storage.head(uploadObjectKeys(aliceId, created.id).incoming)).toBeNull();
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  createUploadResponse,
  downloadUploadResponse,
  listUploadsResponse,
  upload as uploadSchema,
  uploadLimits,
  uploadObjectKeys,
} from '@saas/shared/contracts';
import { JOBS } from '@saas/shared/queue';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, type TestApi } from './support/test-api.ts';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f3a7d20000000049454e44ae426082',
  'hex',
);

describe('uploads', () => {
  let api: TestApi;
  let alice: { Authorization: string };
  let bob: { Authorization: string };
  let aliceId: string;

  beforeAll(async () => {
    api = await createTestApi({
      env: { UPLOAD_MAX_BYTES: '1000', UPLOAD_ALLOWED_TYPES: 'image/png,application/pdf' },
    });
    aliceId = randomUUID();
    alice = bearer(await tokenFor(api.config, { sub: aliceId }));
    bob = bearer(await tokenFor(api.config));
  });
  afterAll(async () => {
    await api?.close();
  });

  const create = async (auth = alice, body: Record<string, unknown> = {}) => {
    const res = await request(api.app)
      .post('/v1/uploads')
      .set(auth)
      .send({ filename: 'cat.png', contentType: 'image/png', size: PNG.length, ...body });
    expect(res.status).toBe(201);
    return createUploadResponse.parse(res.body);
  };

  const put = async (
    created: { uploadUrl: string; headers: Record<string, string> },
    bytes: Buffer = PNG,
  ) => {
    const res = await fetch(created.uploadUrl, {
      method: 'PUT',
      headers: created.headers,
      body: bytes,
    });
    expect(res.status).toBe(200);
  };

  const job = (id: string) => api.resources.queue.getJob(id);

  it('serves the limits publicly', async () => {
    const res = await request(api.app).get('/v1/uploads/limits');
    expect(res.status).toBe(200);
    expect(uploadLimits.parse(res.body)).toEqual({
      maxBytes: 1000,
      allowedTypes: ['image/png', 'application/pdf'],
    });
  });

  it('does the whole flow: create → PUT to the signed URL → complete (enqueued once) → status', async () => {
    const created = await create(alice, { filename: 'my holiday photo.png' });
    expect(created.method).toBe('PUT');
    expect(created.headers['Content-Type'] ?? created.headers['content-type']).toBe('image/png');
    // The key is ids only: owner and upload id, never the user's file name.
    const url = new URL(created.uploadUrl);
    expect(decodeURIComponent(url.pathname)).toBe(`/uploads/uploads/${aliceId}/${created.id}`);
    const expiresInS = (Date.parse(created.expiresAt) - Date.now()) / 1000;
    expect(expiresInS).toBeGreaterThan(200);
    expect(expiresInS).toBeLessThanOrEqual(300);

    const pending = await request(api.app).get(`/v1/uploads/${created.id}`).set(alice);
    expect(uploadSchema.parse(pending.body)).toMatchObject({
      status: 'pending',
      sha256: null,
      size: PNG.length,
    });

    await put(created);
    const done = await request(api.app)
      .post(`/v1/uploads/${created.id}/complete`)
      .set(alice)
      .set('X-Request-Id', 'req-complete-1');
    expect(done.status).toBe(200);
    expect(uploadSchema.parse(done.body)).toMatchObject({ id: created.id, status: 'uploaded' });
    expect(done.body.completedAt).not.toBeNull();

    const j = await job(created.id);
    expect(j?.name).toBe(JOBS.processUpload);
    expect(j?.data).toEqual({ uploadId: created.id, requestId: 'req-complete-1' });

    const again = await request(api.app)
      .post(`/v1/uploads/${created.id}/complete`)
      .set(alice)
      .set('X-Request-Id', 'req-complete-2');
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('uploaded');
    const counts = await api.resources.queue.getJobCounts(
      'waiting',
      'delayed',
      'active',
      'prioritized',
    );
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
    expect((await job(created.id))?.data.requestId).toBe('req-complete-1');

    const status = await request(api.app).get(`/v1/uploads/${created.id}`).set(alice);
    expect(status.body.status).toBe('uploaded');
  });

  it('shows sha256 once processed, and a download URL only when ready', async () => {
    const created = await create();
    await put(created);
    expect(
      (await request(api.app).post(`/v1/uploads/${created.id}/complete`).set(alice)).status,
    ).toBe(200);

    const notReady = await request(api.app).get(`/v1/uploads/${created.id}/download`).set(alice);
    expect(notReady.status).toBe(409);
    expect(notReady.body.type).toBe('urn:problem:conflict');

    // What the worker does when it is done: its verified copy, then the row.
    const keys = uploadObjectKeys(aliceId, created.id);
    await api.resources.storage.copy(keys.incoming, keys.verified);
    const sha = 'a'.repeat(64);
    await api.sql`update public.uploads set status = 'ready', sha256 = ${sha}, detected_type = 'image/png', processed_at = now() where id = ${created.id}`;
    const ready = await request(api.app).get(`/v1/uploads/${created.id}`).set(alice);
    expect(ready.body).toMatchObject({ status: 'ready', sha256: sha, detectedType: 'image/png' });

    const dl = await request(api.app).get(`/v1/uploads/${created.id}/download`).set(alice);
    expect(dl.status).toBe(200);
    expect(dl.headers['cache-control']).toBe('no-store');
    const { url } = downloadUploadResponse.parse(dl.body);
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(PNG);

    // Complete after processing: nothing enqueued again, status unchanged.
    const late = await request(api.app).post(`/v1/uploads/${created.id}/complete`).set(alice);
    expect(late.body.status).toBe('ready');
  });

  it('refuses to complete before the bytes are there, or with another size', async () => {
    const created = await create();
    const early = await request(api.app).post(`/v1/uploads/${created.id}/complete`).set(alice);
    expect(early.status).toBe(409);
    expect(await job(created.id)).toBeUndefined();

    await put(created, Buffer.concat([PNG, Buffer.from('extra')]));
    const wrong = await request(api.app).post(`/v1/uploads/${created.id}/complete`).set(alice);
    expect(wrong.status).toBe(409);
    expect(wrong.body.detail).toMatch(/bytes/);
    const row = await request(api.app).get(`/v1/uploads/${created.id}`).set(alice);
    expect(row.body.status).toBe('pending');
  });

  it('refuses to complete when the stored type is not the announced one (a store that does not check the signature)', async () => {
    const created = await create();
    // s3rver does not verify signatures, so the PUT goes through with another Content-Type.
    await put({ ...created, headers: { 'Content-Type': 'application/pdf' } });
    const res = await request(api.app).post(`/v1/uploads/${created.id}/complete`).set(alice);
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('The stored object is application/pdf, image/png was announced.');
    expect(await job(created.id)).toBeUndefined();
  });

  it('refuses to complete an expired pending upload', async () => {
    const created = await create();
    await put(created);
    await api.sql`update public.uploads set expires_at = now() - interval '1 second' where id = ${created.id}`;
    const res = await request(api.app).post(`/v1/uploads/${created.id}/complete`).set(alice);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/expired/);
  });

  it('applies the type allow-list and the size limit with 422 and field paths', async () => {
    const res = await request(api.app)
      .post('/v1/uploads')
      .set(alice)
      .send({ filename: 'x.exe', contentType: 'application/x-msdownload', size: 1001 });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:problem:upload-policy');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'contentType',
      'size',
    ]);
  });

  it('hides another user’s upload: 404 on every route, never 403', async () => {
    const created = await create();
    await put(created);
    for (const [method, path] of [
      ['get', `/v1/uploads/${created.id}`],
      ['post', `/v1/uploads/${created.id}/complete`],
      ['get', `/v1/uploads/${created.id}/download`],
      ['delete', `/v1/uploads/${created.id}`],
    ] as const) {
      const res = await request(api.app)[method](path).set(bob);
      expect(res.status).toBe(404);
    }
    const list = await request(api.app).get('/v1/uploads').set(bob);
    expect(list.body.items.map((u: { id: string }) => u.id)).not.toContain(created.id);
    expect((await request(api.app).get(`/v1/uploads/${created.id}`).set(alice)).body.status).toBe(
      'pending',
    );
    expect(await job(created.id)).toBeUndefined();
  });

  it('404 for an upload that does not exist', async () => {
    expect((await request(api.app).get(`/v1/uploads/${randomUUID()}`).set(alice)).status).toBe(404);
  });

  it('deletes both objects (incoming and verified) and the row', async () => {
    const created = await create();
    await put(created);
    const keys = uploadObjectKeys(aliceId, created.id);
    await api.resources.storage.copy(keys.incoming, keys.verified);
    const res = await request(api.app).delete(`/v1/uploads/${created.id}`).set(alice);
    expect(res.status).toBe(204);
    expect(await api.resources.storage.head(keys.incoming)).toBeNull();
    expect(await api.resources.storage.head(keys.verified)).toBeNull();
    expect((await request(api.app).get(`/v1/uploads/${created.id}`).set(alice)).status).toBe(404);
    expect((await request(api.app).delete(`/v1/uploads/${created.id}`).set(alice)).status).toBe(
      404,
    );
  });

  it('lists the owner’s uploads newest first with a cursor', async () => {
    const owner = bearer(await tokenFor(api.config));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(owner)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/uploads?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await request(api.app).get(url).set(owner);
      expect(res.status).toBe(200);
      const page = listUploadsResponse.parse(res.body);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const bad = await request(api.app).get('/v1/uploads?cursor=garbage').set(owner);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ location: 'query', path: 'cursor' });
  });

  it('counts uploads created and completed', async () => {
    const text = await api.metricsRegistry.metrics();
    expect(text).toMatch(/uploads_created_total\{service="api"\} [1-9]/);
    expect(text).toMatch(/uploads_completed_total\{service="api"\} [1-9]/);
  });
});

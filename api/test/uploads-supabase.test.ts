import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createUploadResponse, uploadObjectKeys } from '@saas/shared/contracts';
import { makePdf, makePng } from '@saas/shared/test-support';
import {
  startFakeSupabaseStorage,
  type FakeSupabaseStorage,
} from '../../shared/src/storage/test-fixtures/fake-supabase-storage.ts';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, type TestApi } from './support/test-api.ts';

// Issue 14, item 8: with STORAGE_DRIVER=supabase the signed upload URL binds neither type nor
// size (and lives 2 h). The API sets the bucket's allowed_mime_types and file_size_limit before
// it signs the first URL, and `complete` compares the stored size and type with the announced
// ones, as for S3. Against a fake Supabase Storage server (a hosted service): a local node:http
// server speaking the Storage API, which enforces the bucket limits on uploads as Storage does.

describe('uploads with the supabase storage driver (fake Supabase Storage)', () => {
  let fake: FakeSupabaseStorage;
  let api: TestApi;
  let alice: { Authorization: string };
  const aliceId = randomUUID();
  const MAX = 4000;

  beforeAll(async () => {
    fake = await startFakeSupabaseStorage();
    api = await createTestApi({
      env: {
        STORAGE_DRIVER: 'supabase',
        SUPABASE_URL: fake.url,
        SUPABASE_SERVICE_ROLE_KEY: fake.serviceRoleKey,
        UPLOAD_MAX_BYTES: String(MAX),
        UPLOAD_ALLOWED_TYPES: 'image/png,application/pdf',
      },
    });
    alice = bearer(await tokenFor(api.config, { sub: aliceId }));
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const create = async (contentType: string, size: number) => {
    const res = await request(api.app)
      .post('/v1/uploads')
      .set(alice)
      .send({ filename: 'f', contentType, size });
    expect(res.status).toBe(201);
    return createUploadResponse.parse(res.body);
  };

  const putRaw = async (url: string, contentType: string, body: Buffer) => {
    const res = await fetch(url, { method: 'PUT', headers: { 'Content-Type': contentType }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const complete = (id: string) => request(api.app).post(`/v1/uploads/${id}/complete`).set(alice);

  it('sets the bucket’s allowed types and size limit (private) before handing out the first upload URL', async () => {
    expect(fake.bucketSettings('uploads')).toEqual({
      public: false,
      file_size_limit: null,
      allowed_mime_types: null,
    });
    const created = await create('image/png', 100);
    expect(fake.bucketSettings('uploads')).toEqual({
      public: false,
      file_size_limit: MAX,
      allowed_mime_types: ['image/png', 'application/pdf'],
    });
    const bucketUpdate = fake.requests.findIndex(
      (r) => r.method === 'PUT' && r.path === '/storage/v1/bucket/uploads',
    );
    const firstSign = fake.requests.findIndex((r) =>
      r.path.startsWith('/storage/v1/object/upload/sign/'),
    );
    expect(bucketUpdate).toBeGreaterThanOrEqual(0);
    expect(bucketUpdate).toBeLessThan(firstSign);
    // Once per process, not per upload.
    await create('image/png', 100);
    expect(
      fake.requests.filter((r) => r.method === 'PUT' && r.path === '/storage/v1/bucket/uploads'),
    ).toHaveLength(1);
    expect(new URL(created.uploadUrl).pathname).toBe(
      `/storage/v1/object/upload/sign/uploads/${uploadObjectKeys(aliceId, created.id).incoming}`,
    );
  });

  it('the bucket refuses a type outside the allow-list and an object over the limit through the signed URL (attack)', async () => {
    const gif = await create('image/png', 10);
    const wrongType = await putRaw(gif.uploadUrl, 'image/gif', Buffer.from('GIF89a....'));
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({ statusCode: '415' });

    const big = await create('image/png', 10);
    const tooLarge = await putRaw(big.uploadUrl, 'image/png', Buffer.alloc(MAX + 1));
    expect(tooLarge.body).toMatchObject({ statusCode: '413' });
    expect((await complete(big.id)).status).toBe(409); // nothing stored
  });

  it('complete refuses another size than announced (attack: the URL binds no size)', async () => {
    const png = makePng(8, 8);
    const created = await create('image/png', png.length);
    const bigger = Buffer.concat([png, Buffer.alloc(500)]);
    expect((await putRaw(created.uploadUrl, 'image/png', bigger)).status).toBe(200);
    const res = await complete(created.id);
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe(
      `The stored object has ${bigger.length} bytes, ${png.length} were announced.`,
    );
    expect((await request(api.app).get(`/v1/uploads/${created.id}`).set(alice)).body.status).toBe(
      'pending',
    );
  });

  it('complete refuses another type than announced (attack: the URL binds no type)', async () => {
    const pdf = makePdf();
    const created = await create('image/png', pdf.length);
    // Allowed by the bucket (application/pdf is on the list), but not what was announced.
    expect((await putRaw(created.uploadUrl, 'application/pdf', pdf)).status).toBe(200);
    const res = await complete(created.id);
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('The stored object is application/pdf, image/png was announced.');
  });

  it('hands out no upload URL while the bucket’s limits cannot be set (503, no row)', async () => {
    const broken = await createTestApi({
      env: {
        STORAGE_DRIVER: 'supabase',
        SUPABASE_URL: fake.url,
        SUPABASE_SERVICE_ROLE_KEY: fake.serviceRoleKey,
        STORAGE_BUCKET: 'no-such-bucket',
      },
    });
    try {
      const bob = bearer(await tokenFor(broken.config));
      const res = await request(broken.app)
        .post('/v1/uploads')
        .set(bob)
        .send({ filename: 'f', contentType: 'image/png', size: 10 });
      expect(res.status).toBe(503);
      expect(res.body.uploadUrl).toBeUndefined();
      expect(await broken.sql`select id from public.uploads`).toHaveLength(0);
      expect(
        fake.requests.filter((r) =>
          r.path.startsWith('/storage/v1/object/upload/sign/no-such-bucket'),
        ),
      ).toHaveLength(0);
    } finally {
      await broken.close();
    }
  });

  it('completes an upload whose size and type are as announced', async () => {
    const png = makePng(8, 8);
    const created = await create('image/png', png.length);
    expect((await putRaw(created.uploadUrl, 'image/png', png)).status).toBe(200);
    const res = await complete(created.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('uploaded');
  });
});

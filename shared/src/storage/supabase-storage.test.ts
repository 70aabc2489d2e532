import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startBlackhole, uniqueId } from '@saas/shared/test-support';
import { StorageError } from './storage-error.ts';
import { createSupabaseStorage, SUPABASE_SIGNED_UPLOAD_TTL_S } from './supabase-storage.ts';
import {
  startFakeSupabaseStorage,
  type FakeSupabaseStorage,
} from './test-fixtures/fake-supabase-storage.ts';
import {
  describeStorageContract,
  putThroughUploadUrl,
  readAll,
  sha256,
} from './test-fixtures/storage-contract.ts';

// Supabase is a hosted service: these run against a fake Supabase Storage server, a local
// node:http server speaking the Storage API's wire format for the calls the adapter makes
// (test-fixtures/fake-supabase-storage.ts). supabase-storage.live.test.ts runs the same
// contract against a real project when SUPABASE_TEST_URL is set.

describeStorageContract('Supabase adapter against a fake Supabase Storage server', async () => {
  const fake = await startFakeSupabaseStorage();
  const storage = createSupabaseStorage({
    url: fake.url,
    serviceRoleKey: fake.serviceRoleKey,
    bucket: 'uploads',
  });
  return {
    storage,
    keyPrefix: uniqueId('storage-sb-'),
    close: async () => {
      await storage.close();
      await fake.close();
    },
  };
});

describe('Supabase adapter: Storage API specifics (fake Supabase Storage server)', () => {
  let fake: FakeSupabaseStorage;
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  const prefix = uniqueId('storage-sb-');
  const bytes = randomBytes(128 * 1024 + 3);

  beforeAll(async () => {
    fake = await startFakeSupabaseStorage();
    blackhole = await startBlackhole();
  });
  afterAll(async () => {
    await fake.close();
    await blackhole.close();
  });

  const storageFor = (overrides: { url?: string; serviceRoleKey?: string; bucket?: string } = {}) =>
    createSupabaseStorage({
      url: fake.url,
      serviceRoleKey: fake.serviceRoleKey,
      bucket: 'uploads',
      ...overrides,
    });

  const failure = (p: Promise<unknown>): Promise<StorageError> =>
    p.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e as StorageError,
    );

  test('upload URL: the signed-upload route, the Content-Type to send, and the token’s own 2 h expiry', async () => {
    const storage = storageFor();
    const key = `${prefix}/upload-url.png`;
    const before = Date.now();
    const upload = await storage.createUploadUrl(key, {
      contentType: 'image/png',
      size: 10,
      expiresInS: 300,
    });
    const url = new URL(upload.url);
    expect(url.origin).toBe(fake.url);
    expect(url.pathname).toBe(`/storage/v1/object/upload/sign/uploads/${key}`);
    expect(url.searchParams.get('token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'image/png' } });
    // Supabase ignores expiresInS for uploads: expiresAt is what the token says (2 h).
    const ttlS = (upload.expiresAt.getTime() - before) / 1000;
    expect(ttlS).toBeGreaterThan(SUPABASE_SIGNED_UPLOAD_TTL_S - 5);
    expect(ttlS).toBeLessThanOrEqual(SUPABASE_SIGNED_UPLOAD_TTL_S + 5);
  });

  test('getStream() hands the body over while it is still arriving (not a buffered Blob)', async () => {
    const storage = storageFor();
    const key = `${prefix}/streamed.bin`;
    await putThroughUploadUrl(storage, key, bytes, 'application/octet-stream');

    const stall = fake.stallDownloads();
    // Resolves although the server holds back the last byte: a Blob could not exist yet.
    let timer: NodeJS.Timeout | undefined;
    const stream = await Promise.race([
      storage.getStream(key),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('getStream() waited for the whole body')), 5_000);
      }),
    ]).finally(() => clearTimeout(timer));
    const reader = stream[Symbol.asyncIterator]();
    const first = await reader.next();
    expect(first.done).toBe(false);
    stall.release();
    const rest = await readAll(stream);
    expect(sha256(Buffer.concat([Buffer.from(first.value as Uint8Array), rest]))).toBe(
      sha256(bytes),
    );
    expect(fake.requests).toContainEqual({
      method: 'GET',
      path: `/storage/v1/object/uploads/${key}`,
    });
    await storage.delete(key);
  });

  test('applyUploadPolicy() sets the bucket’s allowed types, size limit and privacy; the bucket then refuses other uploads', async () => {
    // A fake of its own: the bucket's limits would apply to the other tests' uploads.
    const own = await startFakeSupabaseStorage();
    try {
      const storage = createSupabaseStorage({
        url: own.url,
        serviceRoleKey: own.serviceRoleKey,
        bucket: 'uploads',
      });
      await storage.applyUploadPolicy({ allowedTypes: ['image/png'], maxBytes: 100 });
      expect(own.bucketSettings('uploads')).toEqual({
        public: false,
        file_size_limit: 100,
        allowed_mime_types: ['image/png'],
      });
      const put = async (key: string, contentType: string, body: Buffer) => {
        const url = await storage.createUploadUrl(key, {
          contentType,
          size: body.length,
          expiresInS: 60,
        });
        const res = await fetch(url.url, { method: 'PUT', headers: url.headers, body });
        return (await res.json()) as Record<string, unknown>;
      };
      expect(await put('policy.gif', 'image/gif', Buffer.alloc(10))).toMatchObject({
        statusCode: '415',
      });
      expect(await put('policy-big.png', 'image/png', Buffer.alloc(101))).toMatchObject({
        statusCode: '413',
      });
      expect(await put('policy.png', 'image/png', Buffer.alloc(100))).toHaveProperty('Key');
    } finally {
      await own.close();
    }
  });

  test('applyUploadPolicy() on a missing bucket fails and names it', async () => {
    const err = await failure(
      storageFor({ bucket: 'no-such-bucket' }).applyUploadPolicy({
        allowedTypes: ['image/png'],
        maxBytes: 1,
      }),
    );
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toMatch(/^storage applyUploadPolicy to bucket no-such-bucket failed: /);
  });

  test('head() throws for a missing bucket: only a missing object is null', async () => {
    const storage = storageFor({ bucket: 'no-such-bucket' });
    const err = await failure(storage.head(`${prefix}/x`));
    expect(err).toBeInstanceOf(StorageError);
    expect(err.notFound).toBe(false);
    expect(err.code).toBe('NoSuchBucket');
  });

  test('check() of a missing bucket fails and names the bucket', async () => {
    const err = await failure(storageFor({ bucket: 'no-such-bucket' }).check());
    expect(err.message).toBe(
      'storage check of bucket no-such-bucket failed: StorageApiError: Bucket not found (HTTP 400, statusCode 404)',
    );
  });

  test('check() against a server that never answers fails by requestTimeoutMs', async () => {
    const storage = createSupabaseStorage({
      url: `http://127.0.0.1:${blackhole.port}`,
      serviceRoleKey: 'k'.repeat(40),
      bucket: 'uploads',
      requestTimeoutMs: 300,
    });
    const started = Date.now();
    const err = await failure(storage.check());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.message).toMatch(/^storage check of bucket uploads failed: .*TimeoutError/);
  });

  test('check() gives up when the health signal aborts, whatever the client timeout', async () => {
    const storage = createSupabaseStorage({
      url: `http://127.0.0.1:${blackhole.port}`,
      serviceRoleKey: 'k'.repeat(40),
      bucket: 'uploads',
      requestTimeoutMs: 2_000,
    });
    const started = Date.now();
    const err = await failure(storage.check(AbortSignal.timeout(200)));
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(err).toBeInstanceOf(StorageError);
  });

  test('a refused key is an error (not a missing object), and no error carries the key', async () => {
    const wrongKey = `sb_secret_${'x'.repeat(8)}leak-check-${uniqueId()}`;
    const wrong = storageFor({ serviceRoleKey: wrongKey });
    const hanging = createSupabaseStorage({
      url: `http://127.0.0.1:${blackhole.port}`,
      serviceRoleKey: wrongKey,
      bucket: 'uploads',
      requestTimeoutMs: 200,
    });
    const errors = [
      await failure(wrong.head(`${prefix}/x`)),
      await failure(wrong.getStream(`${prefix}/x`)),
      await failure(
        wrong.createUploadUrl(`${prefix}/x`, {
          contentType: 'text/plain',
          size: 1,
          expiresInS: 60,
        }),
      ),
      await failure(wrong.check()),
      await failure(hanging.head(`${prefix}/x`)),
    ];
    expect(errors[0]!.notFound).toBe(false);
    expect(errors[0]!.code).toBe('InvalidJWT');
    for (const err of errors) {
      expect(err).toBeInstanceOf(StorageError);
      const dump = [String(err), err.stack, JSON.stringify(err)].join('\n');
      expect(dump).not.toContain(wrongKey);
    }
  });
});

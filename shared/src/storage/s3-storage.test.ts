import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startBlackhole, testServices, uniqueId } from '@saas/shared/test-support';
import { createS3Storage, type S3StorageConfig } from './s3-storage.ts';
import { StorageError } from './storage-error.ts';
import { describeStorageContract } from './test-fixtures/storage-contract.ts';

// Against the real local S3 server (s3rver on 127.0.0.1:9000). s3rver does not verify presigned
// signatures, so nothing here claims the store enforces them: the tests read what the adapter
// put into the signed URL (expiry, signed headers, origin), which is what the adapter controls.

const local: S3StorageConfig = { ...testServices.s3 };

describeStorageContract('S3 adapter against the local S3 server (s3rver)', async () => {
  const storage = createS3Storage(local);
  return { storage, keyPrefix: uniqueId('storage-s3-'), close: () => storage.close() };
});

describe('S3 adapter: what the signed URLs carry', () => {
  const storage = createS3Storage({ ...local, publicEndpoint: 'http://storage.example.test:9000' });
  const internal = createS3Storage(local);
  const prefix = uniqueId('storage-s3-url-');
  afterAll(async () => {
    await storage.close();
    await internal.close();
  });

  test('upload URL: expiry is expiresInS, Content-Type and Content-Length are signed, no empty-body checksum', async () => {
    const before = Date.now();
    const upload = await internal.createUploadUrl(`${prefix}/a.png`, {
      contentType: 'image/png',
      size: 1234,
      expiresInS: 321,
    });
    const url = new URL(upload.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('321');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-type', 'content-length', 'host']),
    );
    expect([...url.searchParams.keys()].filter((k) => k.startsWith('x-amz-checksum'))).toEqual([]);
    expect(url.pathname).toBe(`/${local.bucket}/${prefix}/a.png`);
    expect(upload.headers).toEqual({ 'Content-Type': 'image/png' });
    const ttl = upload.expiresAt.getTime() - before;
    expect(ttl).toBeGreaterThan(320_000);
    expect(ttl).toBeLessThanOrEqual(321_000 + 5_000);
  });

  test('download URL: expiry is expiresInS and the attachment disposition is part of the signed URL', async () => {
    const download = await internal.createDownloadUrl(`${prefix}/a.png`, {
      expiresInS: 60,
      filename: 'a "quoted"\r\nname.png',
    });
    const url = new URL(download.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="a _quoted_ name.png"; filename*=UTF-8''a%20_quoted_%20name.png`,
    );
  });

  test('publicEndpoint is the origin of signed URLs; requests still go to the internal endpoint', async () => {
    const key = `${prefix}/public.txt`;
    const upload = await storage.createUploadUrl(key, {
      contentType: 'text/plain',
      size: 2,
      expiresInS: 60,
    });
    const download = await storage.createDownloadUrl(key, { expiresInS: 60 });
    expect(new URL(upload.url).origin).toBe('http://storage.example.test:9000');
    expect(new URL(download.url).origin).toBe('http://storage.example.test:9000');
    // The browser would reach storage.example.test; here the same signed path goes to s3rver.
    const direct = new URL(upload.url);
    direct.host = '127.0.0.1:9000';
    const res = await fetch(direct, { method: 'PUT', headers: upload.headers, body: 'hi' });
    expect(res.status).toBe(200);
    await expect(storage.head(key)).resolves.toMatchObject({ size: 2, contentType: 'text/plain' });
    await expect(storage.check()).resolves.toBeUndefined();
    await storage.delete(key);
  });

  test('arguments the store would refuse or misread are rejected before signing', async () => {
    const opts = { contentType: 'text/plain', size: 1, expiresInS: 60 };
    await expect(
      internal.createUploadUrl(`${prefix}/x`, { ...opts, expiresInS: 0 }),
    ).rejects.toThrow(RangeError);
    await expect(
      internal.createUploadUrl(`${prefix}/x`, { ...opts, expiresInS: 8 * 24 * 3600 }),
    ).rejects.toThrow(RangeError);
    await expect(internal.createUploadUrl(`${prefix}/x`, { ...opts, size: -1 })).rejects.toThrow(
      RangeError,
    );
    await expect(
      internal.createUploadUrl(`${prefix}/x`, { ...opts, contentType: 'text/plain\r\nX-Evil: 1' }),
    ).rejects.toThrow(TypeError);
  });
});

describe('S3 adapter: failures', () => {
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  beforeAll(async () => {
    blackhole = await startBlackhole();
  });
  afterAll(async () => {
    await blackhole.close();
  });

  const failure = (p: Promise<unknown>): Promise<StorageError> =>
    p.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e as StorageError,
    );

  test('check() against a server that never answers fails by requestTimeoutMs', async () => {
    const storage = createS3Storage({
      ...local,
      endpoint: `http://127.0.0.1:${blackhole.port}`,
      requestTimeoutMs: 300,
      maxAttempts: 1,
    });
    const started = Date.now();
    const err = await failure(storage.check());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toMatch(/^storage check of bucket uploads failed: TimeoutError/);
    await storage.close();
  });

  test('check() gives up when the health signal aborts, whatever the client timeouts', async () => {
    const storage = createS3Storage({ ...local, endpoint: `http://127.0.0.1:${blackhole.port}` });
    const started = Date.now();
    const err = await failure(storage.check(AbortSignal.timeout(200)));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(StorageError);
    await storage.close();
  });

  test('check() of a missing bucket fails and names the bucket', async () => {
    const storage = createS3Storage({ ...local, bucket: 'no-such-bucket-here' });
    const err = await failure(storage.check());
    expect(err.message).toBe(
      'storage check of bucket no-such-bucket-here failed: NotFound: no such bucket or key (HTTP 404)',
    );
    await storage.close();
  });

  test('errors carry no credential, even when the store echoes the access key id', async () => {
    const accessKeyId = 'LEAKCHECKKEYID7';
    const secretAccessKey = 'leak-check-secret-value-0123456789';
    const wrongKeys = createS3Storage({ ...local, accessKeyId, secretAccessKey });
    const hanging = createS3Storage({
      ...local,
      accessKeyId,
      secretAccessKey,
      endpoint: `http://127.0.0.1:${blackhole.port}`,
      requestTimeoutMs: 200,
      maxAttempts: 1,
    });
    const errors = [
      // s3rver answers InvalidAccessKeyId with the key id in the body; the SDK copies it onto
      // the error object (AWSAccessKeyId).
      await failure(wrongKeys.getStream(uniqueId('storage-s3-leak-'))),
      await failure(wrongKeys.check()),
      await failure(wrongKeys.head('some/key')),
      await failure(hanging.check()),
    ];
    expect(errors[0]!.code).toBe('InvalidAccessKeyId');
    for (const err of errors) {
      expect(err).toBeInstanceOf(StorageError);
      const dump = [
        String(err),
        err.stack,
        JSON.stringify(err),
        JSON.stringify(Object.entries(err)),
      ].join('\n');
      expect(dump).not.toContain(accessKeyId);
      expect(dump).not.toContain(secretAccessKey);
      expect(err.cause).toBeUndefined();
    }
    await wrongKeys.close();
    await hanging.close();
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { uniqueId } from '@saas/shared/test-support';
import { createSupabaseStorage } from './supabase-storage.ts';
import { startFakeSupabaseStorage } from './test-fixtures/fake-supabase-storage.ts';
import {
  describeStorageContract,
  putThroughUploadUrl,
  readAll,
  sha256,
} from './test-fixtures/storage-contract.ts';

// Opt-in: with SUPABASE_TEST_URL and SUPABASE_TEST_SERVICE_ROLE_KEY set (and a private bucket,
// SUPABASE_TEST_BUCKET or `uploads`, allowing application/pdf and octet-stream), the adapter
// contract runs against that real project. Without them the live suite is not registered at
// all, and one round trip against the fake Supabase Storage server runs in its place.

const live = {
  url: process.env.SUPABASE_TEST_URL,
  serviceRoleKey: process.env.SUPABASE_TEST_SERVICE_ROLE_KEY,
  bucket: process.env.SUPABASE_TEST_BUCKET ?? 'uploads',
};

if (live.url && live.serviceRoleKey) {
  const { url, serviceRoleKey, bucket } = live;
  describeStorageContract(`Supabase adapter against the live project ${url}`, async () => {
    const storage = createSupabaseStorage({ url, serviceRoleKey, bucket });
    return { storage, keyPrefix: uniqueId('storage-live-'), close: () => storage.close() };
  });
} else {
  describe('Supabase adapter live test (opt-in via SUPABASE_TEST_URL)', () => {
    test('without the live variables, a round trip runs against the fake Supabase Storage server', async () => {
      const fake = await startFakeSupabaseStorage();
      const storage = createSupabaseStorage({
        url: fake.url,
        serviceRoleKey: fake.serviceRoleKey,
        bucket: 'uploads',
      });
      try {
        const key = `${uniqueId('storage-live-fallback-')}/round-trip.bin`;
        const bytes = randomBytes(4096);
        await putThroughUploadUrl(storage, key, bytes, 'application/octet-stream');
        await expect(storage.head(key)).resolves.toMatchObject({ size: bytes.length });
        expect(sha256(await readAll(await storage.getStream(key)))).toBe(sha256(bytes));
        await storage.delete(key);
        await expect(storage.head(key)).resolves.toBeNull();
      } finally {
        await storage.close();
        await fake.close();
      }
    });
  });
}

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { testServices } from '@saas/shared/test-support';
import { storageEnv } from './env.ts';
import { storageCheck } from './storage-check.ts';
import { createStorageFromEnv, StorageConfigError } from './storage-from-env.ts';
import { supabaseKeyWarnings, supabaseSecretKey } from './supabase-keys.ts';
import {
  startFakeSupabaseStorage,
  type FakeSupabaseStorage,
} from './test-fixtures/fake-supabase-storage.ts';

const parse = (vars: Record<string, string>) => z.object(storageEnv).parse(vars);

describe('createStorageFromEnv', () => {
  let fake: FakeSupabaseStorage;
  beforeAll(async () => {
    fake = await startFakeSupabaseStorage();
  });
  afterAll(async () => {
    await fake.close();
  });

  test('s3 (the default) against the local S3 server; storageCheck() passes', async () => {
    const storage = createStorageFromEnv(
      parse({
        S3_ENDPOINT: testServices.s3.endpoint,
        S3_ACCESS_KEY_ID: testServices.s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: testServices.s3.secretAccessKey,
      }),
    );
    expect(storage).toMatchObject({ driver: 's3', bucket: 'uploads' });
    await expect(storageCheck(storage)(AbortSignal.timeout(10_000))).resolves.toBeUndefined();
    await storage.close();
  });

  test('S3_PUBLIC_ENDPOINT becomes the origin of signed URLs', async () => {
    const storage = createStorageFromEnv(
      parse({
        S3_ENDPOINT: testServices.s3.endpoint,
        S3_PUBLIC_ENDPOINT: 'https://files.example.test',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
      }),
    );
    const { url } = await storage.createDownloadUrl('a/b', { expiresInS: 60 });
    expect(new URL(url).origin).toBe('https://files.example.test');
    await storage.close();
  });

  test.each([['SUPABASE_SECRET_KEY'], ['SUPABASE_SERVICE_ROLE_KEY']])(
    'supabase with the key in %s against the fake Supabase Storage server; storageCheck() passes',
    async (variable) => {
      const storage = createStorageFromEnv(
        parse({
          STORAGE_DRIVER: 'supabase',
          SUPABASE_URL: fake.url,
          [variable]: fake.serviceRoleKey,
        }),
      );
      expect(storage).toMatchObject({ driver: 'supabase', bucket: 'uploads' });
      await expect(storageCheck(storage)(AbortSignal.timeout(10_000))).resolves.toBeUndefined();
    },
  );

  test('SUPABASE_SECRET_KEY wins over the deprecated alias; each case warns once, by name', () => {
    const storage = createStorageFromEnv(
      parse({
        STORAGE_DRIVER: 'supabase',
        SUPABASE_URL: fake.url,
        SUPABASE_SECRET_KEY: fake.serviceRoleKey,
        SUPABASE_SERVICE_ROLE_KEY: 'stale-legacy-key',
      }),
    );
    expect(storage.driver).toBe('supabase');
    expect(
      supabaseSecretKey({ SUPABASE_SECRET_KEY: 'new', SUPABASE_SERVICE_ROLE_KEY: 'old' }),
    ).toBe('new');
    expect(supabaseKeyWarnings({ SUPABASE_SECRET_KEY: 'new' })).toEqual([]);
    const legacy = supabaseKeyWarnings({ SUPABASE_SERVICE_ROLE_KEY: 'old-key-value' });
    expect(legacy).toEqual([expect.stringContaining('SUPABASE_SERVICE_ROLE_KEY is deprecated')]);
    expect(legacy.join()).not.toContain('old-key-value');
    expect(
      supabaseKeyWarnings({ SUPABASE_SECRET_KEY: 'n', SUPABASE_SERVICE_ROLE_KEY: 'o' }),
    ).toEqual([expect.stringContaining('ignored')]);
  });

  test('a driver without its variables is refused, naming them and no value', () => {
    const s3 = () => createStorageFromEnv(parse({ S3_ACCESS_KEY_ID: 'visible-id-value' }));
    expect(s3).toThrow(StorageConfigError);
    expect(s3).toThrow('STORAGE_DRIVER=s3 needs S3_SECRET_ACCESS_KEY (unset)');

    const supabase = () =>
      createStorageFromEnv(parse({ STORAGE_DRIVER: 'supabase', S3_SECRET_ACCESS_KEY: 'nope' }));
    expect(supabase).toThrow(
      'STORAGE_DRIVER=supabase needs SUPABASE_URL, SUPABASE_SECRET_KEY (unset)',
    );
    const err = (() => {
      try {
        return supabase();
      } catch (e) {
        return e;
      }
    })();
    expect((err as StorageConfigError).missing).toEqual(['SUPABASE_URL', 'SUPABASE_SECRET_KEY']);
    expect(String(err)).not.toContain('nope');
  });
});

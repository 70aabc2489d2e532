import type { Tracer } from '@opentelemetry/api';
import type { z } from 'zod';
import type { storageEnv } from './env.ts';
import type { ObjectStorage } from './object-storage.ts';
import { createS3Storage } from './s3-storage.ts';
import { supabaseSecretKey } from './supabase-keys.ts';
import { createSupabaseStorage } from './supabase-storage.ts';

/** The parsed storage variables (a process config that composes storageEnv satisfies it). */
export type StorageEnv = z.output<z.ZodObject<typeof storageEnv>>;

/** The chosen driver lacks variables. Names them; never holds a value. */
export class StorageConfigError extends Error {
  readonly missing: string[];

  constructor(driver: string, missing: string[]) {
    super(`STORAGE_DRIVER=${driver} needs ${missing.join(', ')} (unset)`);
    this.name = 'StorageConfigError';
    this.missing = missing;
  }
}

function requireVars<K extends string>(
  driver: string,
  vars: Record<K, string | undefined>,
): Record<K, string> {
  const missing = Object.entries(vars)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) throw new StorageConfigError(driver, missing);
  return vars as Record<K, string>;
}

/** `opts.tracer`: S3 calls made inside a span get child spans (the S3 driver only). */
export function createStorageFromEnv(
  env: StorageEnv,
  opts: { tracer?: Tracer | undefined } = {},
): ObjectStorage {
  if (env.STORAGE_DRIVER === 'supabase') {
    // The deprecated SUPABASE_SERVICE_ROLE_KEY still works (main logs the warning once).
    const v = requireVars('supabase', {
      SUPABASE_URL: env.SUPABASE_URL,
      SUPABASE_SECRET_KEY: supabaseSecretKey(env),
    });
    return createSupabaseStorage({
      url: v.SUPABASE_URL,
      serviceRoleKey: v.SUPABASE_SECRET_KEY,
      bucket: env.STORAGE_BUCKET,
    });
  }
  const v = requireVars('s3', {
    S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
  });
  return createS3Storage({
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    ...(env.S3_PUBLIC_ENDPOINT ? { publicEndpoint: env.S3_PUBLIC_ENDPOINT } : {}),
    region: env.S3_REGION,
    bucket: env.STORAGE_BUCKET,
    accessKeyId: v.S3_ACCESS_KEY_ID,
    secretAccessKey: v.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    ...(opts.tracer ? { tracer: opts.tracer } : {}),
  });
}

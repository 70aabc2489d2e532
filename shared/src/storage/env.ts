import { z } from 'zod';

export const storageEnv = {
  STORAGE_DRIVER: z.enum(['s3', 'supabase']).default('s3').meta({
    description:
      'Object storage adapter: s3 (AWS S3, R2, MinIO, Supabase Storage’s S3 endpoint) or supabase (supabase-js Storage API).',
  }),
  STORAGE_BUCKET: z
    .string()
    .min(1)
    .default('uploads')
    .meta({ description: 'Bucket that holds uploads.' }),
  S3_ENDPOINT: z.url().optional().meta({
    description: 'S3 endpoint URL. Unset: AWS S3 for S3_REGION. Local: http://127.0.0.1:9000.',
    example: 'http://127.0.0.1:9000',
  }),
  S3_PUBLIC_ENDPOINT: z.url().optional().meta({
    description:
      'Endpoint used in signed URLs handed to browsers, when it differs from S3_ENDPOINT (e.g. docker compose). Defaults to S3_ENDPOINT.',
  }),
  S3_REGION: z
    .string()
    .min(1)
    .default('us-east-1')
    .meta({ description: 'S3 region (Supabase: the project region).' }),
  S3_FORCE_PATH_STYLE: z
    .stringbool()
    .default(true)
    .meta({ description: 'Path-style bucket addressing (needed by MinIO, s3rver and Supabase).' }),
  S3_ACCESS_KEY_ID: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'S3 access key id. Required with STORAGE_DRIVER=s3.', example: 'S3RVER' }),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional().meta({
    description: 'S3 secret access key. Required with STORAGE_DRIVER=s3.',
    secret: true,
    example: 'S3RVER',
  }),
  SUPABASE_URL: z.url().optional().meta({
    description:
      'Supabase project URL (https://<ref>.supabase.co). Enables Supabase JWT verification (JWKS) and the supabase storage driver.',
  }),
  SUPABASE_SECRET_KEY: z.string().min(1).optional().meta({
    description:
      'Supabase secret key (sb_secret_…, dashboard → API keys), server side only: it bypasses row-level security. Required with STORAGE_DRIVER=supabase.',
    secret: true,
    production: 'Never in a NEXT_PUBLIC_* variable (refused at start).',
  }),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional().meta({
    description:
      'Deprecated alias of SUPABASE_SECRET_KEY: the legacy service_role JWT key, which Supabase retires by the end of 2026. Still read when SUPABASE_SECRET_KEY is unset, with a warning logged once at start.',
    secret: true,
  }),
};

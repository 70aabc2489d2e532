// Where the tests find the real local services (scripts/services.sh up). Override with
// TEST_DATABASE_URL / TEST_REDIS_URL / TEST_S3_ENDPOINT when your services live elsewhere.
export const testServices = {
  databaseUrl:
    process.env.TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:54322/postgres',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6380',
  s3: {
    endpoint: process.env.TEST_S3_ENDPOINT ?? 'http://127.0.0.1:9000',
    region: 'us-east-1',
    bucket: process.env.TEST_S3_BUCKET ?? 'uploads',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  },
} as const;

/** The env that points an api or worker process at the local S3 server above (STORAGE_DRIVER=s3). */
export const testS3Env: Readonly<Record<string, string>> = Object.freeze({
  STORAGE_DRIVER: 's3',
  STORAGE_BUCKET: testServices.s3.bucket,
  S3_ENDPOINT: testServices.s3.endpoint,
  S3_REGION: testServices.s3.region,
  S3_ACCESS_KEY_ID: testServices.s3.accessKeyId,
  S3_SECRET_ACCESS_KEY: testServices.s3.secretAccessKey,
  S3_FORCE_PATH_STYLE: 'true',
});

/** A short random id for names that must not collide across parallel test files. */
export const uniqueId = (prefix = 't'): string =>
  `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

import { testServices, testS3Env } from '@saas/shared/test-support';
import { apiConfig, resolveApiConfig, type ApiConfig } from '../../src/config.ts';

/** Env for a test API: the real local services, this file's database and Redis prefix. */
export function testEnv(
  db: { url: string },
  prefix: string,
  overrides: Record<string, string | undefined> = {},
) {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: db.url,
    DATABASE_POOL_MAX: '4',
    REDIS_URL: testServices.redisUrl,
    QUEUE_PREFIX: `${prefix}:bull`,
    RATE_LIMIT_PREFIX: `${prefix}:rl:`,
    IDEMPOTENCY_PREFIX: `${prefix}:idem:`,
    ...testS3Env,
    HEALTH_CACHE_MS: '0',
    // The tests sign in through the dev login (the explicit local opt-in; HOST is loopback).
    DEV_LOGIN_ENABLED: 'true',
    ...overrides,
  };
}

export function loadTestConfig(env: Record<string, string | undefined>): ApiConfig {
  return resolveApiConfig(apiConfig.load({ env, envFile: false, exampleFile: false }));
}

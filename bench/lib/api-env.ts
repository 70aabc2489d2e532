import { randomBytes } from 'node:crypto';
import { testS3Env } from '@saas/shared/test-support';
import { BENCH_USER_ID } from '../servers/payload.ts';
import { services } from './services.ts';
import { signToken } from './token.ts';

export interface ApiBenchSetup {
  /** `Authorization` + `Origin` + `Accept`, the same for every target. */
  headers: Record<string, string>;
  /** Redis key prefix of this run (queue and rate-limit keys), for the cleanup. */
  prefix: string;
  /** The environment of bench/servers/api-stack.ts, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/** A fresh secret, a token for the bench user, and the API's environment for one run. */
export async function apiBenchSetup(): Promise<ApiBenchSetup> {
  const secret = randomBytes(32).toString('base64url');
  const issuer = 'bench';
  const token = await signToken({ secret, issuer, sub: BENCH_USER_ID });
  const prefix = `bench${Date.now().toString(36)}`;
  return {
    prefix,
    headers: {
      authorization: `Bearer ${token}`,
      origin: 'http://localhost:3000',
      accept: 'application/json',
    },
    env: (extra = {}) => ({
      LOG_LEVEL: 'info',
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      QUEUE_PREFIX: `${prefix}:bull`,
      RATE_LIMIT_PREFIX: `${prefix}:rl:`,
      // The limit is on (as in production) but never reached.
      RATE_LIMIT_MAX: '1000000000',
      AUTH_JWT_SECRET: secret,
      AUTH_JWT_ISSUER: issuer,
      CORS_ORIGINS: 'http://localhost:3000',
      ...testS3Env,
      SENTRY_DSN: '',
      ...extra,
    }),
  };
}

/** Removes the keys a run left in the shared Redis under `prefix` (SCAN, never FLUSH). */
export async function cleanupPrefix(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

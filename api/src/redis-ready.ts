import type { Redis } from 'ioredis';

/**
 * Resolves true once the connection is ready, false after timeoutMs. The producer connection
 * refuses commands until then (no offline queue), so start serving only once it is up — or
 * after the bound, degraded (readiness 503, rate limits failing open) rather than not at all.
 */
export function redisReady(
  redis: Pick<Redis, 'status' | 'once' | 'off'>,
  timeoutMs: number,
): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    redis.once('ready', onReady);
  });
}

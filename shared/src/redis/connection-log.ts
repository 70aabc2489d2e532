import type { Redis } from 'ioredis';
import { scrubRedisText } from './redis-error.ts';
import type { RedisLogger } from './redis-logger.ts';

/**
 * Logs the start of an outage and the recovery, not every reconnect attempt. An outage starts
 * with a connection error or, when the server closed cleanly (no error), with ioredis deciding
 * to reconnect. The 'error' listener is attached even without a logger: an EventEmitter with no
 * 'error' listener makes ioredis print every failed attempt to the console.
 */
export function logConnectionState(redis: Redis, name: string, logger?: RedisLogger): void {
  let healthy = true;
  const lost = (err?: Error & { code?: string }): void => {
    if (!healthy) return;
    healthy = false;
    const detail = err
      ? { err: { message: scrubRedisText(err.message, redis), code: err.code } }
      : {};
    logger?.warn({ redis: name, ...detail }, 'redis connection lost; reconnecting');
  };
  redis.on('error', lost);
  redis.on('reconnecting', () => lost());
  redis.on('ready', () => {
    if (healthy) return;
    healthy = true;
    logger?.info({ redis: name }, 'redis connection restored');
  });
}

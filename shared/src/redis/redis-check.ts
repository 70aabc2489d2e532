import type { Redis } from 'ioredis';
import { RedisError, toRedisError } from './redis-error.ts';

function abortError(signal: AbortSignal): RedisError {
  // Duck-typed: AbortSignal.timeout()'s DOMException is not an `instanceof Error` in every realm.
  const timedOut = (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
  return new RedisError(
    timedOut ? 'redis PING timed out' : 'redis PING aborted',
    timedOut ? 'TIMEOUT' : 'ABORTED',
  );
}

/** Settles with `work` or rejects when `signal` aborts; a late rejection of `work` is swallowed. */
function untilAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Health check for the registry: PING, answering by the registry's abort signal. A connection
 * that is not ready fails at once (instead of queueing the PING until Redis returns); a lazy
 * connection that never connected is connected first. Errors carry no URL or password.
 */
export function redisCheck(redis: Redis): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    if (signal.aborted) throw abortError(signal);
    try {
      if (redis.status === 'wait') await untilAbort(redis.connect(), signal);
      if (redis.status !== 'ready')
        throw new RedisError(`redis not ready (${redis.status})`, 'NOT_READY');
      const reply = await untilAbort(redis.ping(), signal);
      if (reply !== 'PONG') throw new RedisError('redis PING got an unexpected reply', 'BAD_REPLY');
    } catch (err) {
      throw err instanceof RedisError ? err : toRedisError(err, 'redis PING failed', redis);
    }
  };
}

import type { Redis } from 'ioredis';

/**
 * QUIT (flushes what is queued) when Redis answers, a plain disconnect when it does not: a
 * worker connection queues commands while Redis is away, and a QUIT waiting behind them
 * would hold the shutdown until the lifecycle's hard timeout.
 */
export async function closeRedis(redis: Redis, timeoutMs = 1000): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const quit = redis.quit().then(
    () => 'quit' as const,
    () => 'failed' as const,
  );
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const outcome = await Promise.race([quit, late]);
  clearTimeout(timer);
  if (outcome !== 'quit') redis.disconnect();
}

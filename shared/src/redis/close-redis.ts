import type { Redis } from 'ioredis';

/**
 * For shutdown hooks: QUIT (lets replies in flight arrive) when connected, bounded by
 * `timeoutMs`; otherwise, or on timeout, drop the connection. A bare `quit()` never settles
 * while Redis is down on a connection with an offline queue (worker role): it waits to be sent.
 */
export async function closeRedis(redis: Redis, timeoutMs = 1000): Promise<void> {
  if (redis.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const quit = redis.quit().then(
      () => true,
      () => false,
    );
    const timedOut = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)),
    );
    const quitted = await Promise.race([quit, timedOut]);
    clearTimeout(timer);
    if (quitted) return;
  }
  if (redis.status !== 'end') redis.disconnect();
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import {
  startBlackhole,
  startPrivateRedis,
  testServices,
  type PrivateRedis,
} from '@saas/shared/test-support';
import { createRedis } from './create-redis.ts';
import { closeRedis } from './close-redis.ts';
import { redisCheck } from './redis-check.ts';

const waitFor = async (
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};
const checkPasses = (check: (s: AbortSignal) => Promise<void>) => () =>
  check(AbortSignal.timeout(1000)).then(
    () => true,
    () => false,
  );

describe('redisCheck', () => {
  const clients: Redis[] = [];
  let priv: PrivateRedis;
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  const make = (...args: Parameters<typeof createRedis>): Redis => {
    const r = createRedis(...args);
    clients.push(r);
    return r;
  };

  beforeAll(async () => {
    priv = await startPrivateRedis();
    blackhole = await startBlackhole();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => closeRedis(c)));
    await blackhole.close();
    await priv.destroy();
  });

  it('PINGs the real Redis', async () => {
    const check = redisCheck(make(testServices.redisUrl, { role: 'producer' }));
    await waitFor(checkPasses(check));
    await expect(check(AbortSignal.timeout(2000))).resolves.toBeUndefined();
  });

  it('connects a lazy connection on its first check', async () => {
    const r = make(testServices.redisUrl, { role: 'producer', lazyConnect: true });
    expect(r.status).toBe('wait');
    await expect(redisCheck(r)(AbortSignal.timeout(5000))).resolves.toBeUndefined();
    expect(r.status).toBe('ready');
  });

  it('answers by its abort signal against a server that never replies', async () => {
    const r = make(`redis://127.0.0.1:${blackhole.port}`, { role: 'worker', lazyConnect: true });
    const started = Date.now();
    await expect(redisCheck(r)(AbortSignal.timeout(300))).rejects.toThrow('redis PING timed out');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails fast while Redis is down, for producer and worker connections, and recovers after restart', async () => {
    const logged: string[] = [];
    const log = (_obj: object, msg: string): void => void logged.push(msg);
    const producer = make(priv.url, { role: 'producer', logger: { info: log, warn: log } });
    const worker = make(priv.url, { role: 'worker' });
    const checks = [redisCheck(producer), redisCheck(worker)];
    for (const check of checks) await waitFor(checkPasses(check));

    await priv.stop();
    await waitFor(() => producer.status !== 'ready' && worker.status !== 'ready');
    for (const check of checks) {
      const started = Date.now();
      await expect(check(AbortSignal.timeout(10_000))).rejects.toThrow(
        /^redis not ready \((connecting|reconnecting|connect|close)\)$/,
      );
      expect(Date.now() - started).toBeLessThan(2000);
    }

    await priv.start();
    for (const check of checks) await waitFor(checkPasses(check));
    // One line per outage and one per recovery, not one per reconnect attempt.
    expect(logged).toEqual(['redis connection lost; reconnecting', 'redis connection restored']);
  });

  it('makes a producer command fail at once while Redis is down instead of queueing it', async () => {
    const producer = make(priv.url, { role: 'producer' });
    await waitFor(() => producer.status === 'ready');
    await priv.stop();
    await waitFor(() => producer.status !== 'ready');
    const started = Date.now();
    await expect(producer.set('redis-check-test:k', '1')).rejects.toThrow(/enableOfflineQueue/);
    expect(Date.now() - started).toBeLessThan(2000);
    await priv.start();
    await waitFor(() => producer.status === 'ready');
    await expect(producer.ping()).resolves.toBe('PONG');
  });
});

import { afterAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { testServices, uniqueId } from '@saas/shared/test-support';
import { createRedis } from './create-redis.ts';
import { closeRedis } from './close-redis.ts';
import { reconnectDelay } from './retry-strategy.ts';

describe('createRedis', () => {
  const clients: Redis[] = [];
  const make = (...args: Parameters<typeof createRedis>): Redis => {
    const r = createRedis(...args);
    clients.push(r);
    return r;
  };
  afterAll(async () => {
    await Promise.all(clients.map((c) => closeRedis(c)));
  });

  it('gives worker connections the options BullMQ requires', () => {
    const r = make('redis://127.0.0.1:6380', { role: 'worker', lazyConnect: true });
    expect(r.options).toMatchObject({
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      family: 0,
    });
  });

  it('makes producer connections fail fast instead of queueing', () => {
    const r = make('redis://127.0.0.1:6380', { role: 'producer', lazyConnect: true });
    expect(r.options).toMatchObject({
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      family: 0,
      commandTimeout: 5000,
    });
  });

  it('lets client connections queue through a short reconnect', () => {
    const r = make('redis://127.0.0.1:6380', { role: 'client', lazyConnect: true });
    expect(r.options).toMatchObject({
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      family: 0,
    });
  });

  it('turns TLS on for rediss:// only, and reads credentials and db from the URL', () => {
    const tls = make('rediss://default:pw@cache.example.com:6380/2', {
      role: 'producer',
      lazyConnect: true,
    });
    expect(tls.options.tls).toBeTruthy();
    expect(tls.options).toMatchObject({
      host: 'cache.example.com',
      port: 6380,
      username: 'default',
      password: 'pw',
      db: 2,
    });
    expect(
      make('redis://127.0.0.1:6380', { role: 'producer', lazyConnect: true }).options.tls,
    ).toBeUndefined();
  });

  it('reconnects with a capped, jittered, never-ending backoff', () => {
    const r = make('redis://127.0.0.1:6380', { role: 'worker', lazyConnect: true });
    const delays = [1, 2, 3, 10, 1000].map((t) => r.options.retryStrategy?.(t));
    expect(delays[0]).toBeGreaterThanOrEqual(100);
    expect(delays[0]).toBeLessThan(200);
    expect(delays[1]).toBeGreaterThanOrEqual(200);
    for (const d of delays.slice(3)) expect(d).toBeLessThan(2100);
    expect(reconnectDelay(1_000_000)).toBeLessThan(2100);
  });

  it('refuses a URL that is not redis:// without echoing it', () => {
    expect(() => createRedis('http://user:Secr3t@example.com', { role: 'client' })).toThrow(
      'Redis URL must be a redis:// or rediss:// URL (value not shown)',
    );
    expect(() => createRedis('not a url Secr3t', { role: 'client' })).toThrow(/value not shown/);
  });

  it('names the connection on the server', async () => {
    const name = uniqueId('redis-test-');
    const r = make(testServices.redisUrl, { role: 'client', connectionName: name });
    expect(await r.client('GETNAME')).toBe(name);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { testServices, uniqueId } from '@saas/shared/test-support';
import { byClientIp, createRateLimiter, type RateLimitDeps, type RedisCaller } from './index.ts';
import { serve, type Served } from './test-fixtures/serve.ts';

describe('createRateLimiter with batch (BatchedRedisStore) against the shared Redis', () => {
  let redis: Redis;
  const filePrefix = uniqueId('rlb');
  const servers: Served[] = [];
  const start = async (...args: Parameters<typeof serve>): Promise<Served> => {
    const s = await serve(...args);
    servers.push(s);
    return s;
  };
  /** Counts the Redis calls a limiter makes. */
  const counting = (inner: RedisCaller): RedisCaller & { calls: number } => {
    const c = {
      calls: 0,
      call: (command: string, ...args: (string | number)[]) => {
        c.calls += 1;
        return inner.call(command, ...args);
      },
    };
    return c;
  };

  beforeAll(async () => {
    redis = new Redis(testServices.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    await redis.connect();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    const keys = await redis.keys(`${filePrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('one replica admits exactly the limit, with one Redis call per batch instead of per request', async () => {
    const client = counting(redis);
    const deps: RateLimitDeps = {
      redis: client,
      prefix: `${filePrefix}:${uniqueId()}:`,
      failOpen: true,
    };
    const app = await start([
      createRateLimiter(deps, {
        name: 'global',
        windowMs: 60_000,
        limit: 40,
        key: byClientIp,
        batch: { syncIntervalMs: 50, maxPending: 8 },
      }),
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await app.get('/x')).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429, 429, 429, 429]);
    // 45 requests, a call at most every 8 pending hits plus the timer's: far fewer than 45.
    expect(client.calls).toBeLessThanOrEqual(45 / 8 + 6);
    // Once reconciled, Redis holds every hit (429s are counted too, as with the exact store).
    await new Promise((r) => setTimeout(r, 150));
    const keys = await redis.keys(`${deps.prefix}global:*`);
    expect(keys).toHaveLength(1);
    expect(Number(await redis.get(keys[0]!))).toBe(45);
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(50_000);
  });

  it('two replicas sharing Redis admit at least the limit and at most limit + 2 × maxPending × replicas', async () => {
    const prefix = `${filePrefix}:${uniqueId()}:`;
    const limit = 60;
    const maxPending = 4;
    const replica = () =>
      start([
        createRateLimiter(
          { redis, prefix, failOpen: true },
          {
            name: 'global',
            windowMs: 60_000,
            limit,
            key: byClientIp,
            batch: { syncIntervalMs: 20, maxPending },
          },
        ),
      ]);
    const [a, b] = await Promise.all([replica(), replica()]);
    // Concurrent bursts on both replicas, the same client.
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).get('/x').then((r) => r.status)),
    );
    const admitted = results.filter((s) => s === 200).length;
    expect(results.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(admitted).toBeGreaterThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(limit + 2 * maxPending * 2);
    // A later request on either replica, after a reconciliation, is refused.
    await new Promise((r) => setTimeout(r, 100));
    expect((await a.get('/x')).status).toBe(429);
    expect((await b.get('/x')).status).toBe(429);
  });

  it('Redis unreachable and fail closed: 503 within maxPending requests, not a 500', async () => {
    const down = new Redis({
      host: '127.0.0.1',
      port: 1, // nothing listens: every call fails at once
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const errors: string[] = [];
    const app = await start([
      createRateLimiter(
        {
          redis: down,
          prefix: `${filePrefix}:${uniqueId()}:`,
          failOpen: false,
          storeTimeoutMs: 200,
          onStoreError: (name) => errors.push(name),
        },
        {
          name: 'global',
          windowMs: 60_000,
          limit: 100,
          key: byClientIp,
          batch: { syncIntervalMs: 1000, maxPending: 3 },
        },
      ),
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.get('/x')).status);
    // Two admitted locally (unsent hits 1, 2), the third has to reach Redis and cannot.
    expect(statuses).toEqual([200, 200, 503, 503]);
    const res = await app.get('/x');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(errors.length).toBeGreaterThan(0);
    down.disconnect();
  });
});

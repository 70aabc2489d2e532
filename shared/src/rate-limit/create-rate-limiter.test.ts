import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Request } from 'express';
import { Redis } from 'ioredis';
import { sleep, testServices, uniqueId } from '@saas/shared/test-support';
import {
  byClientIp,
  byUser,
  createRateLimiter,
  type LimiterOptions,
  type RateLimitDeps,
} from './index.ts';
import { serve, type Served } from './test-fixtures/serve.ts';

describe('createRateLimiter against the shared Redis', () => {
  let redis: Redis;
  const filePrefix = uniqueId('rl');
  const servers: Served[] = [];

  // A fresh key prefix per test: counters never leak from one test into another.
  const depsFor = (extra: Partial<RateLimitDeps> = {}): RateLimitDeps => ({
    redis,
    prefix: `${filePrefix}:${uniqueId()}:`,
    failOpen: true,
    ...extra,
  });
  const limiter = (opts: Partial<LimiterOptions> & { limit: number }): LimiterOptions => ({
    name: 'global',
    windowMs: 60_000,
    key: byClientIp,
    ...opts,
  });
  const start = async (...args: Parameters<typeof serve>): Promise<Served> => {
    const s = await serve(...args);
    servers.push(s);
    return s;
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

  it('admits exactly the limit with draft-8 headers, then 429 problem+json with Retry-After', async () => {
    const rejected: string[] = [];
    const deps = depsFor({ onRejected: (name) => rejected.push(name) });
    const app = await start([createRateLimiter(deps, limiter({ limit: 3 }))]);
    for (let i = 0; i < 3; i++) {
      const ok = await app.get('/things');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit')).toMatch(new RegExp(`^"global"; r=${2 - i}; t=\\d+$`));
      expect(ok.headers.get('ratelimit-policy')).toMatch(/^"global"; q=3; w=60; pk=:[\w+/=]+:$/);
    }
    const limited = await app.get('/things?token=not-for-the-body');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toEqual({
      status: 429,
      type: 'urn:problem:rate-limited',
      title: 'Too Many Requests',
      detail: 'Rate limit exceeded; retry after the number of seconds in Retry-After.',
      instance: '/things',
    });
    expect(rejected).toEqual(['global']);
    // The count lives in Redis under <prefix><name>:<key>, with the window as its expiry.
    const key = `${deps.prefix}global:127.0.0.1`;
    expect(await redis.get(key)).toBe('4');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('shares one count between replicas on the same prefix', async () => {
    const deps = depsFor();
    const a = await start([createRateLimiter(deps, limiter({ limit: 2 }))]);
    const b = await start([createRateLimiter(deps, limiter({ limit: 2 }))]);
    expect((await a.get('/')).status).toBe(200);
    expect((await b.get('/')).status).toBe(200);
    expect((await a.get('/')).status).toBe(429);
    expect((await b.get('/')).status).toBe(429);
  });

  it('does not count answers ≥ 500 (a client retrying through our outage), but counts 4xx', async () => {
    const deps = depsFor();
    const app = await start([createRateLimiter(deps, limiter({ limit: 2 }))]);
    const key = `${deps.prefix}global:127.0.0.1`;
    for (let i = 0; i < 5; i++) expect((await app.get('/status/503')).status).toBe(503);
    // The uncount follows the answer: wait for Redis to show it.
    for (let i = 0; i < 50 && (await redis.get(key)) !== '0'; i++) await sleep(20);
    expect(await redis.get(key)).toBe('0');
    expect((await app.get('/status/404')).status).toBe(404);
    expect((await app.get('/status/401')).status).toBe(401);
    expect((await app.get('/status/404')).status).toBe(429);
  });

  it('counts answers ≥ 500 with countServerErrors', async () => {
    const deps = depsFor();
    const app = await start([
      createRateLimiter(deps, limiter({ limit: 2, countServerErrors: true })),
    ]);
    expect((await app.get('/status/503')).status).toBe(503);
    expect((await app.get('/status/500')).status).toBe(500);
    expect((await app.get('/status/503')).status).toBe(429);
  });

  it('keeps limiters with different names apart', async () => {
    const deps = depsFor();
    const app = await start([
      createRateLimiter(deps, limiter({ name: 'reads', limit: 1 })),
      createRateLimiter(deps, limiter({ name: 'writes', limit: 2 })),
    ]);
    const first = await app.get('/');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit')).toMatch(/^"reads"; r=0; t=\d+, "writes"; r=1; t=\d+$/);
    const second = await app.get('/');
    expect(second.status).toBe(429);
    expect(second.headers.get('ratelimit')).toMatch(/^"reads"; r=0/);
  });

  it('byClientIp trusts X-Forwarded-For only as far as trust proxy says', async () => {
    const behindProxy = await start([createRateLimiter(depsFor(), limiter({ limit: 1 }))], {
      trustProxy: 1,
    });
    const xff = (ip: string) => ({ 'X-Forwarded-For': ip });
    expect((await behindProxy.get('/', xff('203.0.113.1'))).status).toBe(200);
    expect((await behindProxy.get('/', xff('203.0.113.1'))).status).toBe(429);
    expect((await behindProxy.get('/', xff('203.0.113.2'))).status).toBe(200);
    // Only the hop the proxy appended counts: a client cannot pick a fresh key.
    expect((await behindProxy.get('/', xff('198.51.100.7, 203.0.113.2'))).status).toBe(429);
    // IPv6: one subscriber's /56 is one client.
    expect((await behindProxy.get('/', xff('2001:db8:1:200::1'))).status).toBe(200);
    expect((await behindProxy.get('/', xff('2001:db8:1:2ff::9'))).status).toBe(429);

    const direct = await start([createRateLimiter(depsFor(), limiter({ limit: 1 }))]);
    expect((await direct.get('/', xff('203.0.113.1'))).status).toBe(200);
    expect((await direct.get('/', xff('203.0.113.3'))).status).toBe(429);
  });

  it('byUser counts per user and falls back to the client IP without one', async () => {
    const userOf = (req: Request) => req.get('x-test-user') || undefined;
    const app = await start([
      createRateLimiter(depsFor(), limiter({ name: 'uploads', limit: 1, key: byUser(userOf) })),
    ]);
    const as = (user?: string) => app.get('/', user ? { 'x-test-user': user } : {});
    expect((await as('alice')).status).toBe(200);
    expect((await as('alice')).status).toBe(429);
    expect((await as('bob')).status).toBe(200);
    expect((await as()).status).toBe(200);
    expect((await as()).status).toBe(429);
  });

  it('lets the app write the problem (Retry-After already set)', async () => {
    const deps = depsFor({
      sendProblem: (req, res, problem) => {
        res
          .status(problem.status)
          .type('application/problem+json')
          .json({
            ...problem,
            requestId: req.get('x-request-id'),
            retryAfter: res.get('retry-after'),
          });
      },
    });
    const app = await start([createRateLimiter(deps, limiter({ limit: 1 }))]);
    await app.get('/');
    const limited = await app.get('/', { 'x-request-id': 'req-1' });
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 429, requestId: 'req-1' });
    expect(Number(body.retryAfter)).toBeGreaterThan(0);
  });

  it('refuses a name that is not a header-safe token', () => {
    expect(() => createRateLimiter(depsFor(), limiter({ name: 'a"b', limit: 1 }))).toThrow(
      /rate limiter name/,
    );
  });
});

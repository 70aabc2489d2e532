import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { startBlackhole, startPrivateRedis, type PrivateRedis } from '@saas/shared/test-support';
import { byClientIp, createRateLimiter, type RateLimitDeps } from './index.ts';
import { serve, type Served } from './test-fixtures/serve.ts';

const until = async (cond: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

interface Recorder {
  deps: Pick<RateLimitDeps, 'logger' | 'onStoreError'>;
  warnings: string[];
  storeErrors: number;
}
const recorder = (): Recorder => {
  const r: Recorder = {
    warnings: [],
    storeErrors: 0,
    deps: {
      logger: { warn: (_fields, msg) => r.warnings.push(msg) },
      onStoreError: () => {
        r.storeErrors++;
      },
    },
  };
  return r;
};

const opts = { name: 'global', windowMs: 60_000, limit: 100, key: byClientIp };

// Stops a PRIVATE redis-server: the shared one serves every other suite.
describe('fail-open / fail-closed policy with Redis stopped', () => {
  let server: PrivateRedis;
  let redis: Redis;
  const servers: Served[] = [];
  const start = async (deps: RateLimitDeps): Promise<Served> => {
    const s = await serve([createRateLimiter(deps, opts)]);
    servers.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startPrivateRedis();
    // The producer profile: no offline queue, so a down Redis fails a request at once.
    redis = new Redis(server.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    await redis.connect();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    redis?.disconnect();
    await server?.destroy();
  });

  it('fails open or closed while Redis is down, and counts again once it is back', async () => {
    const open = recorder();
    const closed = recorder();
    const prefix = 'policy:';
    const openApp = await start({ redis, prefix, failOpen: true, ...open.deps });
    const closedApp = await start({ redis, prefix, failOpen: false, ...closed.deps });
    expect((await openApp.get('/')).headers.get('ratelimit')).toMatch(/^"global"; r=99/);
    expect((await closedApp.get('/')).headers.get('ratelimit')).toMatch(/^"global"; r=98/);

    await server.stop();
    await until(() => redis.status !== 'ready');

    for (let i = 0; i < 3; i++) {
      const served = await openApp.get('/');
      expect(served.status).toBe(200);
      expect(served.headers.get('ratelimit')).toBeNull();
    }
    expect(open.storeErrors).toBe(3);
    // One line per limiter per interval, not one per request.
    expect(open.warnings).toEqual(['rate-limit store unavailable; letting requests through']);

    for (let i = 0; i < 2; i++) {
      const refused = await closedApp.get('/things?x=1');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toMatchObject({
        status: 503,
        type: 'urn:problem:unavailable',
        instance: '/things',
      });
    }
    expect(closed.storeErrors).toBe(2);
    expect(closed.warnings).toEqual(['rate-limit store unavailable; refusing requests']);

    await server.start();
    await until(() => redis.status === 'ready');
    // A restarted Redis lost its script cache: the store reloads the scripts and counts again.
    expect((await openApp.get('/')).headers.get('ratelimit')).toMatch(/^"global"; r=97/);
    const back = await closedApp.get('/');
    expect(back.status).toBe(200);
    expect(back.headers.get('ratelimit')).toMatch(/^"global"; r=96/);
  });

  it('a limiter created while Redis is unreachable counts once Redis is back', async () => {
    await server.stop();
    await until(() => redis.status !== 'ready');
    // Its script load at init fails: the case rate-limit-redis alone never recovers from.
    const app = await start({ redis, prefix: 'late:', failOpen: true });
    expect((await app.get('/')).headers.get('ratelimit')).toBeNull();

    await server.start();
    await until(() => redis.status === 'ready');
    const counted = await app.get('/');
    expect(counted.status).toBe(200);
    expect(counted.headers.get('ratelimit')).toMatch(/^"global"; r=99/);
  });

  it('a Redis that accepts connections and never answers costs a request at most the store timeout', async () => {
    const blackhole = await startBlackhole();
    // No handshake (HELLO, CLIENT SETINFO) and no ready check: the connection is usable at once,
    // and commands are written to the socket to wait for a reply that never comes.
    const hung = new Redis({
      host: '127.0.0.1',
      port: blackhole.port,
      lazyConnect: true,
      protocol: 2,
      disableClientInfo: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 1,
    });
    try {
      await hung.connect();
      const deps = { redis: hung, prefix: 'hung:', storeTimeoutMs: 200 };
      const openApp = await start({ ...deps, failOpen: true });
      const closedApp = await start({ ...deps, failOpen: false });
      const t0 = Date.now();
      expect((await openApp.get('/')).status).toBe(200);
      expect((await closedApp.get('/')).status).toBe(503);
      // Generous bound: the point is that neither request waits for Redis.
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      hung.disconnect();
      await blackhole.close();
    }
  });
});

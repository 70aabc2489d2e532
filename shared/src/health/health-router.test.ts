import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  startBlackhole,
  startPrivateRedis,
  uniqueId,
  type PrivateRedis,
} from '@saas/shared/test-support';
import { createHealthRegistry, type HealthRegistryOptions } from './health-registry.ts';
import { createHealthRouter } from './health-router.ts';
import type { HealthCheck } from './types.ts';
import { tcpReplyCheck } from './test-fixtures/tcp-reply-check.ts';

type Blackhole = Awaited<ReturnType<typeof startBlackhole>>;

const appWith = (
  setup: (registry: ReturnType<typeof createHealthRegistry>) => void,
  opts: {
    readinessChecks?: string[];
    isReady?: () => boolean;
  } & Partial<HealthRegistryOptions> = {},
): express.Express => {
  const registry = createHealthRegistry({
    service: 'api',
    version: '1.0.0',
    timeoutMs: opts.timeoutMs ?? 1000,
    cacheMs: opts.cacheMs ?? 0,
  });
  setup(registry);
  const app = express();
  app.use(
    createHealthRouter({
      registry,
      isReady: opts.isReady ?? (() => true),
      readinessChecks: opts.readinessChecks ?? [],
    }),
  );
  return app;
};

const ok: HealthCheck = async () => {};
const failing: HealthCheck = async () => {
  throw new Error('down');
};

describe('createHealthRouter (Express)', () => {
  let privateRedis: PrivateRedis;
  let redis: Redis;
  let blackhole: Blackhole;

  beforeAll(async () => {
    privateRedis = await startPrivateRedis();
    // Fails fast instead of queueing while the server is down: the probe must not wait.
    redis = new Redis(privateRedis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectionName: uniqueId('health-'),
      retryStrategy: () => 100,
      lazyConnect: true,
    });
    redis.on('error', () => {});
    await redis.connect();
    blackhole = await startBlackhole();
  });

  afterAll(async () => {
    redis.disconnect();
    await privateRedis.destroy();
    await blackhole.close();
  });

  const redisCheck: HealthCheck = async () => {
    await redis.ping();
  };

  it('turns fail/503 when the real Redis stops, and ok again when it is back', async () => {
    const app = appWith((r) => r.register('redis', redisCheck, { critical: true }), {
      readinessChecks: ['redis'],
    });
    const up = await request(app).get('/health').expect(200);
    expect(up.body).toMatchObject({ status: 'ok', checks: { redis: { status: 'ok' } } });
    await request(app)
      .get('/health/ready')
      .expect(200, /"ready":true/);
    await request(app).get('/health/redis').expect(200);

    await privateRedis.stop();
    try {
      const down = await request(app).get('/health').expect(503);
      expect(down.body).toMatchObject({
        status: 'fail',
        checks: { redis: { status: 'fail', critical: true } },
      });
      expect(down.body.checks.redis.error).toEqual(expect.any(String));
      const ready = await request(app).get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({ ready: false, status: 'fail' });
      await request(app).get('/health/redis').expect(503);
      await request(app).get('/health/live').expect(200);
    } finally {
      await privateRedis.start();
    }
    const until = Date.now() + 10000;
    let status = 0;
    while (status !== 200 && Date.now() < until) {
      status = (await request(app).get('/health')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });

  it('answers by the timeout when a dependency accepts and never replies', async () => {
    const check = tcpReplyCheck(blackhole.port);
    const app = appWith((r) => r.register('hangs', check, { critical: true, timeoutMs: 300 }));
    const started = performance.now();
    const res = await request(app).get('/health').expect(503);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(res.body.checks.hangs).toMatchObject({
      status: 'fail',
      error: 'timed out after 300 ms',
    });
    expect(check.openSockets()).toBe(0);
  });

  it('runs the check once for a flood of concurrent probes', async () => {
    let calls = 0;
    const app = appWith(
      (r) =>
        r.register(
          'db',
          async () => {
            calls += 1;
            await new Promise((resolve) => setTimeout(resolve, 50));
          },
          { critical: true },
        ),
      { cacheMs: 10000 },
    );
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => request(app).get('/health')),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    await request(app).get('/health/db').expect(200);
    expect(calls).toBe(1);
  });

  it('answers 200 degraded when only an optional check fails, 503 fail for a critical one', async () => {
    const degraded = appWith((r) => {
      r.register('db', ok, { critical: true });
      r.register('storage', failing, { critical: false });
    });
    const res = await request(degraded).get('/health').expect(200);
    expect(res.body.status).toBe('degraded');
    await request(degraded).get('/health/storage').expect(503);

    const failed = appWith((r) => {
      r.register('db', failing, { critical: true });
      r.register('storage', ok, { critical: false });
    });
    expect((await request(failed).get('/health').expect(503)).body.status).toBe('fail');
  });

  it('is not ready when any readiness check fails, optional ones included', async () => {
    const app = appWith(
      (r) => {
        r.register('db', ok, { critical: true });
        r.register('migrations', failing, { critical: false });
        r.register('storage', failing, { critical: false });
      },
      { readinessChecks: ['db', 'migrations'] },
    );
    const res = await request(app).get('/health/ready').expect(503);
    expect(res.body.ready).toBe(false);
    expect(Object.keys(res.body.checks).sort()).toEqual(['db', 'migrations']);
  });

  it('turns readiness 503 at once while draining, without running checks; liveness stays 200', async () => {
    let calls = 0;
    let ready = true;
    const app = appWith(
      (r) =>
        r.register(
          'db',
          async () => {
            calls += 1;
          },
          { critical: true },
        ),
      { readinessChecks: ['db'], isReady: () => ready },
    );
    await request(app).get('/health/ready').expect(200);
    ready = false;
    const res = await request(app).get('/health/ready').expect(503);
    expect(res.body).toMatchObject({ status: 'fail', ready: false, checks: {} });
    expect(calls).toBe(1);
    const live = await request(app).get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
  });

  it('answers 404 for an unknown check, JSON and no-store everywhere', async () => {
    const app = appWith((r) => r.register('db', ok, { critical: true }));
    const res = await request(app).get('/health/nope').expect(404);
    expect(res.body).toEqual({ error: 'unknown health check' });
    for (const path of ['/health', '/health/live', '/health/ready', '/health/db', '/health/nope']) {
      const r = await request(app).get(path);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('never leaks a connection string or password from a failing check', async () => {
    const app = appWith((r) =>
      r.register(
        'db',
        async () => {
          throw new Error('connect to postgres://u:secret@h/db failed');
        },
        { critical: true },
      ),
    );
    for (const path of ['/health', '/health/db']) {
      const res = await request(app).get(path).expect(503);
      expect(res.text).not.toContain('secret');
      expect(res.text).not.toContain('postgres://');
    }
  });
});

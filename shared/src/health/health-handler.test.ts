import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBlackhole } from '@saas/shared/test-support';
import { createHealthHandler } from './health-handler.ts';
import { createHealthRegistry } from './health-registry.ts';
import { tcpReplyCheck } from './test-fixtures/tcp-reply-check.ts';

describe('createHealthHandler (node:http)', () => {
  let server: Server;
  let base: string;
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  let ready = true;
  let calls = 0;

  beforeAll(async () => {
    blackhole = await startBlackhole();
    const registry = createHealthRegistry({
      service: 'worker',
      version: '2.0.0',
      timeoutMs: 300,
      cacheMs: 10000,
    });
    registry.register(
      'redis',
      async () => {
        calls += 1;
      },
      { critical: true },
    );
    registry.register('storage', tcpReplyCheck(blackhole.port), { critical: false });
    const handle = createHealthHandler({
      registry,
      isReady: () => ready,
      readinessChecks: ['redis'],
    });
    // The worker's server: health first, then its own routes (here: a 404 saying so).
    server = createServer((req, res) => {
      if (handle(req, res)) return;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not a health path');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await blackhole.close();
  });

  it('serves the full report, degraded by a hanging optional check within its timeout', async () => {
    const started = performance.now();
    const res = await fetch(`${base}/health?verbose=1`);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({
      status: 'degraded',
      service: 'worker',
      version: '2.0.0',
      checks: {
        redis: { status: 'ok', critical: true },
        storage: { status: 'fail', critical: false, error: 'timed out after 300 ms' },
      },
    });
  });

  it('serves liveness, readiness and single checks like the Express router', async () => {
    expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'ok' });
    const readyRes = await fetch(`${base}/health/ready/`);
    expect(readyRes.status).toBe(200);
    expect(await readyRes.json()).toMatchObject({ ready: true, checks: { redis: {} } });
    const one = await fetch(`${base}/health/redis`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ name: 'redis', status: 'ok' });
    expect((await fetch(`${base}/health/storage`)).status).toBe(503);
    expect((await fetch(`${base}/health/nope`)).status).toBe(404);
    expect(calls).toBe(1);
  });

  it('keeps liveness 200 and readiness 503 while draining', async () => {
    ready = false;
    try {
      expect((await fetch(`${base}/health/ready`)).status).toBe(503);
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    } finally {
      ready = true;
    }
  });

  it('leaves other paths and methods to the caller', async () => {
    const other = await fetch(`${base}/metrics`);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('not a health path');
    expect((await fetch(`${base}/healthz`)).status).toBe(404);
    expect((await fetch(`${base}/health`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/health`, { method: 'HEAD' })).status).toBe(200);
  });
});

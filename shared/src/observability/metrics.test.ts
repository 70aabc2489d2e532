import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import express from 'express';
import { Counter, Gauge } from 'prom-client';
import { createMetrics } from './create-metrics.ts';

const TOKEN = 'scrape-token-0123456789';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createMetrics', () => {
  const metrics = createMetrics({ service: 'api' });
  const open = metrics.handler();
  const guarded = metrics.handler({ token: TOKEN });
  const app = express();
  app.get('/metrics', metrics.handler(TOKEN));
  const servers = [
    createServer((req, res) => (req.url === '/open' ? open(req, res) : guarded(req, res))),
    createServer(app),
  ];
  let plain = '';
  let viaExpress = '';

  beforeAll(async () => {
    new Counter({ name: 'uploads_created_total', help: 'test', registers: [metrics.registry] }).inc(
      3,
    );
    const urls = await Promise.all(servers.map(listen));
    plain = urls[0]!;
    viaExpress = urls[1]!;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  test('serves default process metrics and app metrics with the service label', async () => {
    const res = await fetch(`${plain}/open`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    const body = await res.text();
    expect(body).toMatch(/^process_cpu_user_seconds_total\{service="api"\} /m);
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds\{service="api"\} /m);
    expect(body).toMatch(/^uploads_created_total\{service="api"\} 3$/m);
  });

  test.each([
    ['no header', undefined],
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 with WWW-Authenticate for %s', async (_name, authorization) => {
    const res = await fetch(`${plain}/guarded`, {
      headers: authorization ? { authorization } : {},
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.text()).not.toContain('process_cpu');
  });

  test('serves the metrics to the right token, on node:http and Express', async () => {
    for (const url of [`${plain}/guarded`, `${viaExpress}/metrics`]) {
      const res = await fetch(url, { headers: { authorization: `bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('process_resident_memory_bytes{service="api"}');
    }
    expect((await fetch(`${viaExpress}/metrics`)).status).toBe(401);
  });

  test('refuses methods other than GET and HEAD', async () => {
    const res = await fetch(`${plain}/open`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  test('answers 500 without the message when a collector throws', async () => {
    const broken = createMetrics({ service: 'api', collectDefault: false });
    new Gauge({
      name: 'broken_gauge',
      help: 'throws on collect',
      registers: [broken.registry],
      collect() {
        throw new Error('redis://:hunter2@cache:6379 unreachable');
      },
    });
    const server = createServer(broken.handler());
    const url = await listen(server);
    try {
      const res = await fetch(url);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('metrics collection failed\n');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('records health check results as health_check_up and health_check_latency_seconds', async () => {
    metrics.onHealthResult('db', { status: 'ok', latencyMs: 12 });
    metrics.onHealthResult('redis', { status: 'fail', latencyMs: 2000 });
    const body = await metrics.registry.metrics();
    expect(body).toMatch(/^health_check_up\{check="db",service="api"\} 1$/m);
    expect(body).toMatch(/^health_check_up\{check="redis",service="api"\} 0$/m);
    expect(body).toMatch(/^health_check_latency_seconds\{check="redis",service="api"\} 2$/m);
  });

  test('with refreshHealthOnScrape, each scrape runs the checks first: no stale health_check_up', async () => {
    const own = createMetrics({ service: 'api', collectDefault: false });
    let dbUp = true;
    let runs = 0;
    // Stands in for the health registry's run(): it reports each result through onResult.
    own.refreshHealthOnScrape(async () => {
      runs++;
      own.onHealthResult('db', { status: dbUp ? 'ok' : 'fail', latencyMs: 3 });
    });
    expect(await own.registry.metrics()).toMatch(
      /^health_check_up\{check="db",service="api"\} 1$/m,
    );
    dbUp = false;
    // No /health probe in between: the scrape alone must notice.
    expect(await own.registry.metrics()).toMatch(
      /^health_check_up\{check="db",service="api"\} 0$/m,
    );
    expect(runs).toBe(2);
  });

  test('a refresh that throws leaves the last values and the scrape answers', async () => {
    const own = createMetrics({ service: 'api', collectDefault: false });
    own.onHealthResult('db', { status: 'ok', latencyMs: 3 });
    own.refreshHealthOnScrape(() => Promise.reject(new Error('boom')));
    expect(await own.registry.metrics()).toMatch(
      /^health_check_up\{check="db",service="api"\} 1$/m,
    );
  });

  test('prefixes default metrics and can leave them out', async () => {
    const prefixed = createMetrics({ service: 'worker', prefix: 'worker_' });
    expect(await prefixed.registry.metrics()).toMatch(
      /^worker_process_cpu_user_seconds_total\{service="worker"\}/m,
    );
    const bare = createMetrics({ service: 'worker', collectDefault: false });
    expect(await bare.registry.metrics()).not.toContain('process_cpu');
  });
});

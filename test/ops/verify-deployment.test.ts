import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnNode } from '@saas/shared/test-support';
import type { CheckResult } from '../../scripts/verify-deployment/check-result.ts';
import { cspDirectives, inlineScriptCheck } from '../../scripts/verify-deployment/header-checks.ts';
import { httpsRedirectCheck } from '../../scripts/verify-deployment/https-checks.ts';
import { verifyDeployment } from '../../scripts/verify-deployment/verify.ts';
import { startApi, type RunningApi } from './support/start-api.ts';

// `npm run verify:deployment` against the real API (createApp on real PostgreSQL, Redis and
// S3) must pass; against a dead port, and against a deliberately misconfigured HTTP server
// (no security headers, CORS open to everyone, no https redirect), it must fail and say why.
const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'scripts/verify-deployment.ts');

async function verify(args: string[]) {
  const proc = spawnNode(script, { cwd: root, args });
  const { code } = await proc.exited;
  return { code, output: proc.lines.join('\n') };
}

const row = (results: CheckResult[], name: string): CheckResult | undefined =>
  results.find((r) => r.name === name);

/** Serves `handler` on a free loopback port. */
async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('npm run verify:deployment', () => {
  let api: RunningApi;
  // A deployment gone wrong: 200 everywhere, no security headers, CORS for any origin.
  let broken: { url: string; server: Server };
  // A page with the web's headers (CSP with frame-ancestors, nosniff, Referrer-Policy).
  let web: { url: string; server: Server };
  // The http side of an https deployment that redirects properly.
  let redirecting: { url: string; server: Server };

  beforeAll(async () => {
    api = await startApi({
      CORS_ORIGINS: 'https://app.example.com',
      METRICS_TOKEN: 'verify-metrics-token-0123456789',
    });
    broken = await serve((req, res) => {
      res.setHeader('X-Powered-By', 'Express');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ status: 'ok' }));
    });
    web = await serve((_req, res) => {
      res.setHeader('Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'");
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
      res.setHeader('Content-Type', 'text/html');
      res.end('<!doctype html><title>app</title>');
    });
    redirecting = await serve((req, res) => {
      res.writeHead(308, { Location: `https://127.0.0.1${req.url ?? '/'}` });
      res.end();
    });
  });

  afterAll(async () => {
    await api.close();
    await Promise.all([close(broken.server), close(web.server), close(redirecting.server)]);
  });

  it('passes against the real API and a well-configured web, printing a report table', async () => {
    const res = await verify([
      '--api',
      api.url,
      '--web',
      web.url,
      '--allowed-origin',
      'https://app.example.com',
    ]);
    expect(res.output).toMatch(/^RESULT\s+TARGET\s+CHECK\s+TIME\s+DETAIL$/m);
    for (const check of [
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics needs a token',
      'Content-Security-Policy',
      'X-Content-Type-Options',
      'Referrer-Policy',
      'no X-Powered-By',
      'CORS refuses a foreign origin',
      'CORS preflight refused',
      'CORS allows the web origin',
      'response times',
    ]) {
      expect(res.output).toMatch(
        new RegExp(`^PASS\\s+api\\s+${check.replace(/[()]/g, '\\$&')}\\b`, 'm'),
      );
    }
    expect(res.output).toMatch(/^PASS\s+web\s+CSP frame-ancestors\s/m);
    expect(res.output).toMatch(/^PASS\s+web\s+CSP blocks inline scripts \(no 'unsafe-inline'\)\s/m);
    // No worker runs in this test: /health is degraded, which warns and does not fail.
    expect(res.output).toMatch(/^WARN\s+api\s+GET \/health\s+\d+ ms\s+200 degraded/m);
    expect(res.output).toMatch(/^OK: \d+ passed, 1 warnings, 0 failed/m);
    expect(res.code).toBe(0);
  });

  it('fails with a clear message when nothing listens on the port', async () => {
    const port = await freePort();
    const res = await verify(['--api', `http://127.0.0.1:${port}`]);
    expect(res.code).toBe(1);
    expect(res.output).toContain(`FAIL    api     reachable`);
    expect(res.output).toContain(
      `cannot reach api at http://127.0.0.1:${port}: http://127.0.0.1:${port}/health/live: connection refused`,
    );
    expect(res.output).toMatch(/^FAILED: 0 passed, 0 warnings, 1 failed/m);
  });

  it('exits 2 on a usage error', async () => {
    const res = await verify(['--web', web.url]);
    expect(res.code).toBe(2);
    expect(res.output).toContain('--api URL is required');
  });

  it('names each problem of a misconfigured deployment', async () => {
    const results = await verifyDeployment({
      api: new URL(broken.url),
      web: new URL(broken.url),
      maxMs: 2000,
      timeoutMs: 5000,
    });
    const api = results.filter((r) => r.target === 'api');
    for (const name of [
      'GET /health/ready',
      'GET /metrics needs a token',
      'Content-Security-Policy',
      'X-Content-Type-Options',
      'Referrer-Policy',
      'no X-Powered-By',
      'CORS refuses a foreign origin',
      'CORS preflight refused',
      'auth required (GET /v1/me without a token)',
    ]) {
      expect({ name, status: row(api, name)?.status }).toEqual({
        name,
        status: name === 'GET /health/ready' ? 'pass' : 'fail',
      });
    }
    expect(row(api, 'CORS refuses a foreign origin')?.detail).toContain(
      'Access-Control-Allow-Origin: *',
    );
    expect(row(api, 'no X-Powered-By')?.detail).toBe('present: Express');
    expect(
      results.filter((r) => r.target === 'web' && r.name === 'CSP frame-ancestors')[0]?.status,
    ).toBe('fail');
    expect(
      row(
        results.filter((r) => r.target === 'web'),
        "CSP blocks inline scripts (no 'unsafe-inline')",
      ),
    ).toMatchObject({ status: 'fail', detail: 'no script-src or default-src' });
  });

  it("fails a web CSP that lets inline scripts run ('unsafe-inline' without a nonce or hash)", () => {
    const check = (csp: string) => inlineScriptCheck(cspDirectives(csp)).status;
    // The web's policy before issue 14 item 7, and a default-src fallback that allows inline.
    expect(check("default-src 'self'; script-src 'self' 'unsafe-inline'")).toBe('fail');
    expect(check("default-src 'self' 'unsafe-inline'")).toBe('fail');
    // Today's: a nonce with 'strict-dynamic' (browsers then ignore 'unsafe-inline' anyway).
    expect(check("default-src 'self'; script-src 'self' 'nonce-abc123' 'strict-dynamic'")).toBe(
      'pass',
    );
    expect(check("script-src 'self' 'unsafe-inline' 'sha256-abc='")).toBe('pass');
    expect(check("default-src 'self'")).toBe('pass');
  });

  it('on https URLs: requires the http address to redirect to https on the same host', async () => {
    const viaHttps = (server: { url: string }): URL => {
      const u = new URL(server.url);
      u.protocol = 'https:';
      return u;
    };
    // The check probes the same host and port over plain http.
    const good = await httpsRedirectCheck('api', viaHttps(redirecting), '/health/live', 5000);
    expect(good).toMatchObject({ status: 'pass', detail: '308 → https://127.0.0.1' });
    const bad = await httpsRedirectCheck('web', viaHttps(broken), '/', 5000);
    expect(bad).toMatchObject({ status: 'fail' });
    expect(bad.detail).toMatch(/answered 200$/);
  });

  it('fails a check slower than --max-ms', async () => {
    const slow = await serve((_req, res) => {
      setTimeout(() => res.end('{"status":"ok"}'), 300);
    });
    try {
      const results = await verifyDeployment({
        api: new URL(slow.url),
        maxMs: 100,
        timeoutMs: 5000,
      });
      const times = row(results, 'response times');
      expect(times?.status).toBe('fail');
      expect(times?.detail).toMatch(/^above 100 ms: api GET \/health\/live \d+ ms/);
    } finally {
      await close(slow.server);
    }
  });
});

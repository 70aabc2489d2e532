import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnNode, waitUntil } from '@saas/shared/test-support';
import {
  REPO_ROOT,
  setupWorkerTest,
  startWorker,
  workerEnv,
  type RunningWorker,
  type WorkerTestContext,
} from './support/harness.ts';

const TOKEN = 'worker-metrics-token-0123456789abcdef';

// Issue 14, item 6 and 9: the worker's /metrics and full health report were public whenever
// METRICS_TOKEN was unset (production too), and its token check was not constant-time.
describe('worker: /metrics and the health details need METRICS_TOKEN', () => {
  let ctx: WorkerTestContext;
  let worker: RunningWorker;
  const fetchWith = (path: string, authorization?: string) =>
    fetch(`http://127.0.0.1:${worker.port}${path}`, {
      headers: authorization ? { authorization } : {},
      signal: AbortSignal.timeout(5000),
    });

  beforeAll(async () => {
    ctx = await setupWorkerTest();
    worker = await startWorker(workerEnv(ctx, { METRICS_TOKEN: TOKEN }));
  });

  afterAll(async () => {
    await worker?.kill();
    await ctx?.close();
  });

  it('answers anonymous health probes with up/down only', async () => {
    // Ready first: a check that is still warming up on a loaded machine answers 503 (which is
    // up/down too, but this test is about the shape of the answer).
    await waitUntil('worker ready', async () => (await fetchWith('/health/ready')).status === 200);
    for (const path of ['/health', '/health/ready', '/health/live', '/health/redis']) {
      const res = await fetchWith(path);
      const body = (await res.json()) as Record<string, unknown>;
      // Only `status`, and it agrees with the code: 200 ok/degraded, 503 fail.
      expect(Object.keys(body)).toEqual(['status']);
      expect(res.status === 200 ? ['ok', 'degraded'] : ['fail']).toContain(body.status);
    }
    expect(await (await fetchWith('/health/live')).json()).toEqual({ status: 'ok' });
    // A wrong token (same length) is anonymous too.
    const wrong = await fetchWith('/health', `Bearer ${'x'.repeat(TOKEN.length)}`);
    expect(Object.keys((await wrong.json()) as object)).toEqual(['status']);
  });

  it('shows the full report with the token', async () => {
    const res = await fetchWith('/health', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { checks?: Record<string, unknown> };
    expect(Object.keys(body.checks ?? {})).toEqual(expect.arrayContaining(['db', 'redis']));
  });

  it('refuses /metrics without the token or with a wrong one, serves it with the token', async () => {
    expect((await fetchWith('/metrics')).status).toBe(401);
    expect((await fetchWith('/metrics', `Bearer ${'x'.repeat(TOKEN.length)}`)).status).toBe(401);
    expect((await fetchWith('/metrics', `Bearer ${TOKEN}x`)).status).toBe(401);
    const ok = await fetchWith('/metrics', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^health_check_up/m);
  });

  it('refuses to start in production without METRICS_TOKEN, naming it', async () => {
    const child = spawnNode('worker/src/main.ts', {
      cwd: REPO_ROOT,
      nodeArgs: ['--import', './worker/src/instrument.ts'],
      env: workerEnv(ctx, {
        NODE_ENV: 'production',
        METRICS_TOKEN: '',
        S3_ACCESS_KEY_ID: 'AKIAPRODUCTIONKEY00',
        S3_SECRET_ACCESS_KEY: 'production-secret-access-key-0000',
      }),
    });
    const { code } = await child.exited;
    expect(code).toBe(1);
    const out = child.lines.join('\n');
    expect(out).toContain('METRICS_TOKEN');
    expect(out).not.toContain('worker ready');
  });
});

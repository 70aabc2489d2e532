import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { JOBS, QUEUES } from '@saas/shared/queue';
import { testServices, waitUntil } from '@saas/shared/test-support';
import { SignJWT } from 'jose';
import { hs256Secret } from '../src/config.ts';
import { bearer, tokenFor } from './support/auth-helpers.ts';
import { createTestApi, type TestApi } from './support/test-api.ts';

// The queue dashboard (bull-board) on the real app and the real Redis: never public, the
// admin role or the dashboard token opens it, it shows a failed job and retries it, and its
// CSP is its own — the rest of the API keeps `default-src 'none'`.
const TOKEN = randomBytes(24).toString('base64url');
const PATH = '/admin/queues';

describe('queue dashboard at /admin/queues', () => {
  let api: TestApi;
  let admin: string;
  let user: string;
  let worker: Worker | undefined;
  let redis: Redis;

  beforeAll(async () => {
    api = await createTestApi({
      env: { QUEUE_DASHBOARD_ENABLED: 'true', QUEUE_DASHBOARD_TOKEN: TOKEN },
    });
    user = await tokenFor(api.config);
    // A token like Supabase's for a user an operator made admin (app_metadata, service-role only).
    const now = Math.floor(Date.now() / 1000);
    admin = await new SignJWT({ role: 'authenticated', app_metadata: { role: 'admin' } })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(api.config.jwtIssuer)
      .setAudience(api.config.env.AUTH_JWT_AUDIENCE)
      .setSubject('7d5a0a7e-6a5e-4c43-9d0f-9d1f2f1b2c3d')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(hs256Secret(api.config)!));
    redis = new Redis(testServices.redisUrl, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await worker?.close();
    redis?.disconnect();
    await api?.close();
  });

  it('anonymous: 401 problem+json asking for credentials, no dashboard', async () => {
    const res = await request(api.app).get(PATH);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="queues"/);
    expect(res.text).not.toContain('__UI_CONFIG__');
    expect((await request(api.app).get(`${PATH}/api/queues`)).status).toBe(401);
  });

  it('a normal user: 403; a wrong dashboard token: 403', async () => {
    const res = await request(api.app).get(`${PATH}/api/queues`).set(bearer(user));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, type: 'urn:problem:forbidden' });
    const wrong = await request(api.app).get(PATH).auth('admin', 'not-the-token');
    expect(wrong.status).toBe(403);
  });

  it('an admin JWT sees the queues (200) through the dashboard API', async () => {
    const res = await request(api.app).get(`${PATH}/api/queues`).set(bearer(admin));
    expect(res.status).toBe(200);
    const names = (res.body as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toContain(QUEUES.uploads);
  });

  it('the dashboard token opens the page, under its own CSP; the API keeps its own', async () => {
    const page = await request(api.app).get(`${PATH}/`).auth('operator', TOKEN);
    expect(page.status).toBe(200);
    expect(page.text).toContain('__UI_CONFIG__');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    const health = await request(api.app).get('/health/live');
    expect(health.headers['content-security-policy']).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
  });

  it('shows a failed job with its error and attempts, and retries it to completion', async () => {
    const uploadId = '3f0e7a2c-8a43-4c1e-b1a5-0c5d8f3e9b11';
    await api.resources.queue.add(
      JOBS.processUpload,
      { uploadId, requestId: 'dashboard-test' },
      { jobId: uploadId, attempts: 1 },
    );
    let fail = true;
    worker = new Worker(
      QUEUES.uploads,
      async () => {
        if (fail) throw new UnrecoverableError('forced failure for the dashboard test');
        return { ok: true };
      },
      { connection: redis, prefix: api.config.env.QUEUE_PREFIX },
    );
    await waitUntil(
      'the job failed',
      async () => (await api.resources.queue.getJobState(uploadId)) === 'failed',
    );
    const failed = await request(api.app)
      .get(`${PATH}/api/queues`)
      .query({ activeQueue: QUEUES.uploads, status: 'failed', page: 1 })
      .set(bearer(admin));
    expect(failed.status).toBe(200);
    const queue = (
      failed.body as {
        queues: {
          name: string;
          jobs: { id: string; failedReason: string; attempts: number; data: unknown }[];
        }[];
      }
    ).queues.find((q) => q.name === QUEUES.uploads)!;
    const job = queue.jobs.find((j) => j.id === uploadId)!;
    expect(job.failedReason).toBe('forced failure for the dashboard test');
    expect(job.attempts).toBe(1);
    // Ids only: the payload the dashboard shows carries nothing else.
    expect(job.data).toEqual({ uploadId, requestId: 'dashboard-test' });

    fail = false;
    const retry = await request(api.app)
      .put(`${PATH}/api/queues/${QUEUES.uploads}/${uploadId}/retry`)
      .set(bearer(admin));
    expect(retry.status).toBe(204);
    await waitUntil(
      'the retried job completed',
      async () => (await api.resources.queue.getJobState(uploadId)) === 'completed',
    );
  });
});

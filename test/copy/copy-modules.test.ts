import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { findLeaks, SECRET_CORPUS } from '@saas/shared/logger';
import { startFakeSentryIngest } from '@saas/shared/observability';
import { startFakeOtlpCollector } from '@saas/shared/tracing';
import {
  createTestDatabase,
  startPrivateRedis,
  testServices,
  uniqueId,
  type SpawnedProcess,
} from '@saas/shared/test-support';
import {
  createCopyWorkspace,
  type AppPackage,
  type CopyWorkspace,
} from './support/copy-workspace.ts';
import { spawnApp, startApp } from './support/copied-app-process.ts';

// Issue 9's proof that every shared module lifts out on its own: each module's folder (and the
// modules its module.json names) is copied into a fresh temp app written for this test
// (test/copy/fixtures), next to only the packages its module.json declares, and run with
// `node app.ts` against the real local services. See docs/copy-a-module.md.

const APPS: Record<string, { fixture: string; appPackages: AppPackage[] }> = {
  config: { fixture: 'config-app.ts', appPackages: ['express'] },
  contracts: { fixture: 'contracts-app.ts', appPackages: ['express'] },
  db: { fixture: 'db-app.ts', appPackages: ['express'] },
  health: { fixture: 'health-app.ts', appPackages: ['express'] },
  lifecycle: { fixture: 'lifecycle-app.ts', appPackages: ['express'] },
  logger: { fixture: 'logger-app.ts', appPackages: ['express'] },
  observability: { fixture: 'observability-app.ts', appPackages: ['express'] },
  queue: { fixture: 'queue-app.ts', appPackages: ['express', 'bullmq'] },
  'rate-limit': { fixture: 'rate-limit-app.ts', appPackages: ['express'] },
  redis: { fixture: 'redis-app.ts', appPackages: ['express'] },
  storage: { fixture: 'storage-app.ts', appPackages: ['express'] },
  tracing: { fixture: 'tracing-app.ts', appPackages: ['express'] },
};

describe('copy a shared module into a fresh Express/BullMQ app', () => {
  let ws: CopyWorkspace;
  let redis: Redis;
  const procs: SpawnedProcess[] = [];
  const redisPrefixes: string[] = [];
  const build = (module: string, extra: Partial<Parameters<CopyWorkspace['buildApp']>[0]> = {}) =>
    ws.buildApp({ module, ...APPS[module]!, ...extra });
  const redisPrefix = (p: string): string => {
    const prefix = uniqueId(p);
    redisPrefixes.push(prefix);
    return prefix;
  };

  beforeAll(async () => {
    ws = await createCopyWorkspace();
    redis = new Redis(testServices.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  }, 240_000);
  afterAll(async () => {
    for (const p of procs) await p.kill();
    for (const prefix of redisPrefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis?.quit();
    ws?.dispose();
  });

  it('has an app for every module under shared/src', () => {
    expect(Object.keys(APPS).sort()).toEqual([...ws.manifests.keys()].sort());
  });

  it('config: refuses to start without a required variable, never printing a secret', async () => {
    const app = build('config');
    const missing = spawnApp(app, { GREETING: undefined, API_TOKEN: undefined });
    procs.push(missing);
    expect((await missing.exited).code).toBe(1);
    expect(missing.lines.join('\n')).toMatch(/GREETING/);

    const badSecret = spawnApp(app, { GREETING: 'hi', API_TOKEN: 'tok-short-but-secret' });
    procs.push(badSecret);
    expect((await badSecret.exited).code).toBe(1);
    const out = badSecret.lines.join('\n');
    expect(out).toMatch(/API_TOKEN/);
    expect(out).not.toContain('tok-short-but-secret');

    const { url } = await startApp(app, { GREETING: 'hello', API_TOKEN: undefined }, procs);
    expect(await (await fetch(`${url}/`)).json()).toMatchObject({ greeting: 'hello' });
  });

  it('logger: scrubs the whole corpus from the lines it writes', async () => {
    const { url, proc } = await startApp(build('logger'), {}, procs);
    const res = await fetch(`${url}/corpus`);
    expect(await res.json()).toEqual({ logged: SECRET_CORPUS.length });
    // Its last line: everything before it has reached the pipe.
    await proc.waitForLine(/"event":"corpus-logged"/);
    await proc.kill();
    const lines = proc.lines.filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(3 * SECRET_CORPUS.length);
    expect(JSON.parse(lines[0]!)).toMatchObject({ service: 'copied-logger', env: 'test' });
    expect(findLeaks(proc.lines.join('\n')).map((s) => s.kind)).toEqual([]);
  });

  it('redis: connects by role, answers its health check and closes on SIGTERM', async () => {
    const prefix = redisPrefix('copyredis');
    const { url, proc } = await startApp(
      build('redis'),
      { REDIS_URL: testServices.redisUrl, KEY_PREFIX: prefix },
      procs,
    );
    const count = async () =>
      ((await (await fetch(`${url}/count`, { method: 'POST' })).json()) as { count: number }).count;
    expect(await count()).toBe(1);
    expect(await count()).toBe(2);
    expect(await redis.get(`${prefix}:counter`)).toBe('2');
    expect((await fetch(`${url}/health/redis`)).status).toBe(200);
    proc.signal('SIGTERM');
    await proc.waitForLine(/"event":"closed"/);
    expect((await proc.exited).code).toBe(0);
  });

  it('db: the migration guard refuses to start with a migration pending', async () => {
    const db = await createTestDatabase();
    const migrations = mkdtempSync(join(tmpdir(), 'copy-migrations-'));
    try {
      writeFileSync(
        join(migrations, '20260101000000_notes.sql'),
        "create table notes (id serial primary key, body text not null);\ninsert into notes (body) values ('first');\n",
      );
      const app = build('db');
      const env = { DATABASE_URL: db.url, MIGRATIONS_DIR: migrations };
      const refused = spawnApp(app, { ...env, MIGRATE_ON_START: 'false' });
      procs.push(refused);
      expect((await refused.exited).code).toBe(1);
      const line = await refused.waitForLine(/"event":"refused"/);
      expect(JSON.parse(line)).toMatchObject({ pending: ['20260101000000'] });
      expect(line).not.toContain('postgres:postgres');

      const { url, proc } = await startApp(app, { ...env, MIGRATE_ON_START: 'true' }, procs);
      expect(await (await fetch(`${url}/notes`)).json()).toEqual([{ body: 'first' }]);
      expect((await fetch(`${url}/health/db`)).status).toBe(200);
      proc.signal('SIGTERM');
      await proc.exited;

      writeFileSync(
        join(migrations, '20260102000000_more.sql'),
        'alter table notes add column tag text;\n',
      );
      const behind = spawnApp(app, { ...env, MIGRATE_ON_START: 'false' });
      procs.push(behind);
      expect((await behind.exited).code).toBe(1);
      expect(JSON.parse(await behind.waitForLine(/"event":"refused"/))).toMatchObject({
        pending: ['20260102000000'],
      });
    } finally {
      rmSync(migrations, { recursive: true, force: true });
      await db.drop();
    }
  });

  it('storage: round-trips an object through signed URLs on the local S3', async () => {
    const { s3 } = testServices;
    const { url } = await startApp(
      build('storage'),
      {
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: s3.region,
        STORAGE_BUCKET: s3.bucket,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
      procs,
    );
    const key = `copy-test/${uniqueId()}.txt`;
    const res = await fetch(`${url}/round-trip`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key, text: 'hello from a copied module' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      putStatus: 200,
      head: { size: 26, contentType: 'text/plain' },
      downloadStatus: 200,
      disposition: expect.stringContaining('note.txt'),
      body: 'hello from a copied module',
      afterDelete: null,
    });
  });

  it('queue: a job enqueued through the module is processed by a raw BullMQ worker', async () => {
    const prefix = redisPrefix('copyq');
    const { url, proc } = await startApp(
      build('queue'),
      { REDIS_URL: testServices.redisUrl, QUEUE_PREFIX: prefix },
      procs,
    );
    const uploadId = randomUUID();
    const res = await fetch(`${url}/uploads/${uploadId}/complete`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ jobId: uploadId });
    const processed = JSON.parse(await proc.waitForLine(/"event":"processed"/)) as unknown;
    expect(processed).toMatchObject({ jobId: uploadId, payload: { uploadId, requestId: 'req-1' } });
    proc.signal('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  });

  it('health: answers 503 once its Redis is stopped', async () => {
    // A private redis-server: stopping the shared one would break every other suite.
    const privateRedis = await startPrivateRedis();
    try {
      const { url } = await startApp(
        build('health'),
        { REDIS_PORT: String(privateRedis.port) },
        procs,
      );
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      await privateRedis.stop();
      const full = await fetch(`${url}/health`);
      expect(full.status).toBe(503);
      expect(await full.json()).toMatchObject({
        status: 'fail',
        service: 'copied-app',
        checks: { redis: { status: 'fail', critical: true } },
      });
      expect((await fetch(`${url}/health/ready`)).status).toBe(503);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
    } finally {
      await privateRedis.destroy();
    }
  });

  it('lifecycle: drains a slow request on SIGTERM and exits 0', async () => {
    const { url, proc } = await startApp(build('lifecycle'), {}, procs);
    const slow = fetch(`${url}/slow`);
    await proc.waitForLine(/slow-request-started/);
    proc.signal('SIGTERM');
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('slow done');
    expect((await proc.exited).code).toBe(0);
    expect(proc.lines.some((l) => l.includes('database-closed'))).toBe(true);
  });

  it('observability: sends a scrubbed event to a fake Sentry ingest server and serves metrics', async () => {
    const ingest = await startFakeSentryIngest();
    try {
      const { url } = await startApp(build('observability'), { SENTRY_DSN: ingest.dsn }, procs);
      const email = SECRET_CORPUS.find((s) => s.kind === 'email')!.secret;
      const token = SECRET_CORPUS.find((s) => s.kind === 'jwt')!.secret;
      const res = await fetch(`${url}/fail`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-copy-1' },
        body: JSON.stringify({ email, token }),
      });
      expect(res.status).toBe(500);
      const [event] = await ingest.waitForEvents(1);
      const text = JSON.stringify(event);
      expect(text).toContain('payment failed for');
      expect(text).toContain('req-copy-1');
      expect(findLeaks(JSON.stringify(ingest.envelopes)).map((s) => s.kind)).toEqual([]);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/process_cpu_user_seconds_total\{service="copied-app"\}/);
    } finally {
      await ingest.close();
    }
  });

  it('tracing: continues a traceparent and exports the span to a fake OTLP collector', async () => {
    const collector = await startFakeOtlpCollector();
    try {
      const { url } = await startApp(
        build('tracing'),
        { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_SERVICE_NAME: 'copied-tracing' },
        procs,
      );
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const res = await fetch(`${url}/hello/x`, {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
      const body = (await res.json()) as { enabled: boolean; traceId?: string };
      expect(body).toMatchObject({ enabled: true, traceId });
      expect((await fetch(`${url}/flush`, { method: 'POST' })).status).toBe(204);
      const [span] = await collector.waitFor((all) => all.some((s) => s.traceId === traceId));
      expect(span).toMatchObject({
        service: 'copied-tracing',
        name: 'GET /hello/:name',
        parentSpanId: '00f067aa0ba902b7',
      });
    } finally {
      await collector.close();
    }
  });

  it('contracts: validates a request with the API schemas', async () => {
    const { url } = await startApp(build('contracts'), {}, procs);
    const post = (body: unknown) =>
      fetch(`${url}/v1/uploads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({ filename: 'a.png', contentType: 'image/png', size: 10 });
    expect(ok.status).toBe(201);
    const bad = await post({ filename: '../etc/passwd', contentType: 'nope', size: 0 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = (await bad.json()) as { type: string; errors: { path: string }[] };
    expect(problem.type).toBe('urn:problem:validation');
    const { errors } = problem;
    expect(errors.map((e) => e.path).sort()).toEqual(['contentType', 'filename', 'size']);
  });

  it('rate-limit: admits exactly the limit, counted in Redis, then 429 problem+json', async () => {
    const prefix = `${redisPrefix('copyrl')}:`;
    const { url } = await startApp(
      build('rate-limit'),
      { REDIS_URL: testServices.redisUrl, RATE_LIMIT_PREFIX: prefix, RATE_LIMIT_MAX: '3' },
      procs,
    );
    for (let i = 0; i < 3; i++) {
      const ok = await fetch(`${url}/hello`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit')).toMatch(new RegExp(`^"global"; r=${2 - i}; t=\\d+$`));
    }
    const limited = await fetch(`${url}/hello`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await redis.get(`${prefix}global:127.0.0.1`)).toBe('4');
  });

  describe('a module that depends on something it did not declare fails', () => {
    it('a package left out of module.json is not installed: the app cannot start', async () => {
      const app = build('logger', {
        manifestOverride: (m) => ({ ...m, dependencies: { zod: m.dependencies.zod! } }),
      });
      expect(app.packages).not.toContain('pino');
      // Without the resolve guard: the missing install alone stops it.
      const proc = spawnApp(app, {}, { guard: false });
      procs.push(proc);
      expect((await proc.exited).code).not.toBe(0);
      expect(proc.lines.join('\n')).toMatch(/Cannot find package 'pino'/);
    });

    it('a package the app installs for itself does not cover a module that imports it', async () => {
      const app = build('lifecycle', {
        tamper: (dir) => {
          const index = join(dir, 'shared', 'src', 'lifecycle', 'index.ts');
          writeFileSync(index, `import 'express';\n${readFileSync(index, 'utf8')}`);
        },
      });
      expect(app.packages).toContain('express');
      const proc = spawnApp(app, {});
      procs.push(proc);
      expect((await proc.exited).code).not.toBe(0);
      expect(proc.lines.join('\n')).toMatch(
        /copy guard: shared\/src\/lifecycle\/ imports 'express', which its module\.json does not declare/,
      );
    });

    it('another module imported without being listed in "modules" is refused', async () => {
      const app = build('observability', {
        tamper: (dir) => {
          // The copy carries logger (observability declares it); this edit makes logger reach
          // back into observability, which logger's module.json does not list.
          appendFileSync(
            join(dir, 'shared', 'src', 'logger', 'index.ts'),
            "\nexport { scrubUrl as _s } from '../observability/scrub-url.ts';\n",
          );
        },
      });
      const proc = spawnApp(app, { SENTRY_DSN: undefined });
      procs.push(proc);
      expect((await proc.exited).code).not.toBe(0);
      expect(proc.lines.join('\n')).toMatch(
        /copy guard: shared\/src\/logger\/ imports shared\/src\/observability\/, which its module\.json does not list in "modules"/,
      );
    });
  });
});

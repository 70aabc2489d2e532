import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createDb, runMigrations, type Db } from '@saas/shared/db';
import { startFakeSentryIngest, type FakeSentryIngest } from '@saas/shared/observability';
import { JOBS, QUEUES } from '@saas/shared/queue';
import {
  createTestDatabase,
  freePort,
  makePng,
  spawnNode,
  testS3Env,
  testServices,
  uniqueId,
  waitUntil,
  type SpawnedProcess,
  type TestDatabase,
} from '@saas/shared/test-support';
import {
  startFakeOtlpCollector,
  type FakeOtlpCollector,
  type ReceivedSpan,
} from '@saas/shared/tracing';
import { signToken } from '../../bench/lib/token.ts';

// One real upload through the real api and worker processes (instrument.ts preloaded, as
// deployed) on the real PostgreSQL, Redis and S3, with OpenTelemetry exporting to a fake
// collector and Sentry reporting to a fake ingest, both on at once. One trace id must cover the
// browser's request, the API's handling, the enqueue, the job, its S3 read and its row update.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MIGRATIONS_DIR = `${ROOT}infra/supabase/migrations`;
const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const jsonLines = (proc: SpawnedProcess): Record<string, unknown>[] =>
  proc.lines.flatMap((l) => {
    if (!l.startsWith('{')) return [];
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

describe('one trace from the browser to the worker (OTLP + Sentry both on)', () => {
  let collector: FakeOtlpCollector;
  let sentry: FakeSentryIngest;
  let db: TestDatabase;
  let sql: Db;
  let api: SpawnedProcess;
  let worker: SpawnedProcess;
  let apiBase: string;
  let token: string;
  let redis: Redis;
  let queue: Queue;
  const prefix = uniqueId('trace');

  beforeAll(async () => {
    [collector, sentry, db] = await Promise.all([
      startFakeOtlpCollector(),
      startFakeSentryIngest(),
      createTestDatabase(),
    ]);
    sql = createDb({ url: db.url, max: 2 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    const secret = randomBytes(32).toString('base64url');
    token = await signToken({ secret, issuer: 'trace-test', sub: randomUUID() });
    const common = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: db.url,
      DATABASE_POOL_MAX: '3',
      REDIS_URL: testServices.redisUrl,
      QUEUE_PREFIX: prefix,
      ...testS3Env,
      SENTRY_DSN: sentry.dsn,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-token=fake%20token',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=trace-test',
    };
    const [apiPort, workerPort] = await Promise.all([freePort(), freePort()]);
    apiBase = `http://127.0.0.1:${apiPort}`;
    api = spawnNode('api/src/main.ts', {
      cwd: ROOT,
      nodeArgs: ['--import', './api/src/instrument.ts'],
      env: {
        ...common,
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        AUTH_JWT_SECRET: secret,
        AUTH_JWT_ISSUER: 'trace-test',
        RATE_LIMIT_PREFIX: `${prefix}:rl:`,
      },
    });
    worker = spawnNode('worker/src/main.ts', {
      cwd: ROOT,
      nodeArgs: ['--import', './worker/src/instrument.ts'],
      env: { ...common, HOST: '127.0.0.1', PORT: String(workerPort) },
    });
    await Promise.all([
      api.waitForLine(/api listening/, 90_000),
      worker.waitForLine(/worker ready/, 90_000),
    ]);
    redis = new Redis(testServices.redisUrl, { maxRetriesPerRequest: 1 });
    queue = new Queue(QUEUES.uploads, { connection: redis, prefix });
  });

  afterAll(async () => {
    await Promise.all([api?.kill(), worker?.kill()]);
    await queue?.close();
    redis?.disconnect();
    await sql?.end();
    await db?.drop();
    await Promise.all([collector?.close(), sentry?.close()]);
  });

  it('continues the browser traceparent through the API, the queue, the worker, SQL, Redis and S3', async () => {
    const traceId = hex(16);
    const browserSpanId = hex(8);
    const traceparent = `00-${traceId}-${browserSpanId}-01`;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const png = makePng(16, 16);

    const created = await fetch(`${apiBase}/v1/uploads`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ filename: 'a.png', contentType: 'image/png', size: png.length }),
    });
    expect(created.status).toBe(201);
    const c = (await created.json()) as {
      id: string;
      uploadUrl: string;
      headers: Record<string, string>;
    };
    const put = await fetch(c.uploadUrl, { method: 'PUT', headers: c.headers, body: png });
    expect(put.status).toBe(200);
    const done = await fetch(`${apiBase}/v1/uploads/${c.id}/complete`, {
      method: 'POST',
      headers: { ...auth, traceparent },
    });
    expect(done.status).toBe(200);
    await waitUntil(
      'upload ready',
      async () => (await sql`select status from uploads where id = ${c.id}`)[0]?.status === 'ready',
      30_000,
    );

    const inTrace = (spans: ReceivedSpan[]) => spans.filter((s) => s.traceId === traceId);
    const find = (spans: ReceivedSpan[], service: string, pred: (s: ReceivedSpan) => boolean) =>
      inTrace(spans).find((s) => s.service === service && pred(s));
    const spans = await collector.waitFor(
      (all) =>
        find(all, 'worker', (s) => s.name === 'UPDATE public.uploads') !== undefined &&
        find(all, 'worker', (s) => s.name === `process ${QUEUES.uploads}`) !== undefined &&
        // The api's batch is exported on its own schedule (every 5 s): wait for its spans too.
        find(all, 'api', (s) => s.kind === SPAN_KIND.server) !== undefined,
      20_000,
    );

    // The API's request span continues the browser's span.
    const server = find(spans, 'api', (s) => s.kind === SPAN_KIND.server);
    expect(server).toMatchObject({
      name: 'POST /v1/uploads/:id/complete',
      parentSpanId: browserSpanId,
      attributes: expect.objectContaining({
        'http.route': '/v1/uploads/:id/complete',
        'http.response.status_code': 200,
      }) as unknown,
    });
    // Inside it: the S3 HEAD, the SQL status change, and the enqueue with its Redis script call.
    const childOf = (
      parent: ReceivedSpan | undefined,
      service: string,
      pred: (s: ReceivedSpan) => boolean,
    ) => find(spans, service, (s) => s.parentSpanId === parent?.spanId && pred(s));
    expect(
      childOf(server, 'api', (s) => s.name === 'S3.HeadObject' && s.kind === SPAN_KIND.client),
    ).toBeDefined();
    const apiUpdate = childOf(server, 'api', (s) => s.name === 'UPDATE public.uploads');
    expect(apiUpdate?.attributes).toMatchObject({ 'db.system.name': 'postgresql' });
    // Statements with placeholders, never values: the upload id is not in the query text.
    expect(String(apiUpdate?.attributes['db.query.text'])).not.toContain(c.id);
    const enqueue = childOf(server, 'api', (s) => s.kind === SPAN_KIND.producer);
    expect(enqueue?.name).toBe(`send ${QUEUES.uploads}`);
    expect(
      childOf(enqueue, 'api', (s) => s.attributes['db.system.name'] === 'redis'),
    ).toBeDefined();

    // The worker's job span is a child of the enqueue span; the S3 read and the row update of it.
    const job = childOf(enqueue, 'worker', (s) => s.kind === SPAN_KIND.consumer);
    expect(job).toMatchObject({
      name: `process ${QUEUES.uploads}`,
      attributes: expect.objectContaining({
        'messaging.message.id': c.id,
        'bullmq.job.attempt': 1,
      }) as unknown,
    });
    expect(childOf(job, 'worker', (s) => s.name === 'S3.GetObject')).toBeDefined();
    expect(childOf(job, 'worker', (s) => s.name === 'UPDATE public.uploads')).toBeDefined();
    // Resource attributes: the process name, OTEL_RESOURCE_ATTRIBUTES; the export headers.
    expect(collector.lastHeaders?.['x-collector-token']).toBe('fake token');

    // Kept for the waterfall in docs/observability.md (test/tracing/render-waterfall.ts).
    mkdirSync(`${ROOT}artifacts/traces`, { recursive: true });
    writeFileSync(
      `${ROOT}artifacts/traces/upload-trace.json`,
      JSON.stringify(
        inTrace(spans),
        (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
        2,
      ),
    );

    // Log lines written inside the spans carry the trace and span ids.
    await waitUntil('completion line', () =>
      jsonLines(worker).some((l) => l.msg === 'job completed'),
    );
    const apiAccess = jsonLines(api).filter((l) => l.traceId === traceId);
    expect(apiAccess.length).toBeGreaterThan(0);
    const started = jsonLines(worker).find((l) => l.msg === 'job started' && l.jobId === c.id);
    expect(started).toMatchObject({ traceId, spanId: job?.spanId });
  });

  it('spans outside a request or job are not made; a request without traceparent starts its own trace', async () => {
    const res = await fetch(`${apiBase}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const spans = await collector.waitFor((all) =>
      all.some((s) => s.service === 'api' && s.name === 'GET /v1/me'),
    );
    const me = spans.find((s) => s.service === 'api' && s.name === 'GET /v1/me');
    expect(me?.parentSpanId).toBeUndefined();
    // Redis commands only exist as children: no root span is a bare Redis or SQL call.
    const roots = spans.filter((s) => s.parentSpanId === undefined);
    expect(roots.filter((s) => s.attributes['db.system.name'] !== undefined)).toEqual([]);
  });

  it('a job that fails for good is reported to Sentry under the trace of the request that enqueued it', async () => {
    const traceId = hex(16);
    const spanId = hex(8);
    // A payload the worker refuses (not a UUID): it fails for good on its first attempt.
    await queue.add(JOBS.processUpload, {
      uploadId: 'not-a-uuid',
      requestId: 'trace-test-1',
      traceparent: `00-${traceId}-${spanId}-01`,
    });
    const events = await sentry.waitForEvents(1, 20_000);
    const event = events.find(
      (e) => (e.tags as Record<string, string> | undefined)?.requestId === 'trace-test-1',
    );
    const trace = (event?.contexts as { trace?: { trace_id?: string } } | undefined)?.trace;
    expect(trace?.trace_id).toBe(traceId);
    const failedLine = jsonLines(worker).find(
      (l) =>
        l.msg === 'job failed for good; kept in the failed set' && l.requestId === 'trace-test-1',
    );
    expect(failedLine?.traceId).toBe(traceId);
  });
});

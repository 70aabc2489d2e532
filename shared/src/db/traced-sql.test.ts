import { types } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { createTestDatabase, type TestDatabase } from '@saas/shared/test-support';
import { createDb, type Db } from './create-db.ts';

// postgres.js has no OpenTelemetry instrumentation: createDb({ tracer }) adds spans at the db
// module's edge. Real PostgreSQL, spans collected in memory.
describe('createDb({ tracer }): query spans (real PostgreSQL)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('test');
  let db: TestDatabase;
  let sql: Db;

  const inSpan = <T>(fn: (span: Span) => Promise<T>): Promise<T> =>
    tracer.startActiveSpan('parent', async (span) => {
      try {
        return await fn(span);
      } finally {
        span.end();
      }
    });

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    db = await createTestDatabase();
    sql = createDb({ url: db.url, max: 2, tracer });
    await sql`create table items (id int primary key, secret text)`;
  });

  afterAll(async () => {
    await sql.end();
    await db.drop();
    context.disable();
  });

  it('a query inside a span is its child, with the statement and never the values', async () => {
    exporter.reset();
    const parentId = await inSpan(async (parent) => {
      const rows = [1, 2].map((id) => ({ id, secret: 'hunter2-value' }));
      await sql`insert into items ${sql(rows)}`;
      await sql`select id from items where id = ${1} and ${sql`secret is not null`}`;
      await sql.begin(async (tx) => {
        await tx`update items set secret = ${'other-value'} where id = ${2}`;
      });
      return parent.spanContext().spanId;
    });
    const spans = exporter.getFinishedSpans();
    // The fragments (sql(rows), the nested sql`…`) make no span of their own; the update inside
    // the transaction is traced through begin's own sql.
    expect(spans.map((s) => s.name).sort()).toEqual([
      'INSERT items',
      'SELECT items',
      'UPDATE items',
      'parent',
    ]);
    const select = spans.find((s) => s.name === 'SELECT items')!;
    expect(select.parentSpanContext?.spanId).toBe(parentId);
    expect(select.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.query.text': 'select id from items where id = $1 and $2',
      'db.namespace': db.name,
    });
    for (const s of spans) expect(JSON.stringify(s.attributes)).not.toMatch(/hunter2|other-value/);
  });

  it('a query outside any span makes no span; a failing one is an error span', async () => {
    exporter.reset();
    await sql`select 1`;
    await sql.unsafe('select 2');
    // Under an unsampled span (a request the ratio left out): no child span either.
    const unsampled = trace.wrapSpanContext({
      traceId: '1'.repeat(32),
      spanId: '2'.repeat(16),
      traceFlags: TraceFlags.NONE,
    });
    await context.with(trace.setSpan(context.active(), unsampled), () => sql`select 4`);
    expect(exporter.getFinishedSpans()).toEqual([]);
    await inSpan(async () => {
      await expect(sql`select * from no_such_table`).rejects.toThrow();
      await sql.unsafe('select 3');
    });
    const failed = exporter.getFinishedSpans().find((s) => s.name === 'SELECT no_such_table');
    expect(failed?.status.code).toBe(2);
    expect(failed?.attributes['db.response.status_code']).toBe('42P01');
    expect(exporter.getFinishedSpans().find((s) => s.name === 'SELECT')?.attributes).toMatchObject({
      'db.query.text': 'select 3',
    });
  });

  it('without a tracer, createDb returns the bare postgres.js client (no proxy)', async () => {
    const bare = createDb({ url: db.url, max: 1 });
    try {
      expect(types.isProxy(bare)).toBe(false);
      expect(types.isProxy(sql)).toBe(true);
      await bare`select 1`;
    } finally {
      await bare.end();
    }
  });
});

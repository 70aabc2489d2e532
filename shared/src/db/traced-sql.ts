import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type postgres from 'postgres';

type Sql = postgres.Sql;

/** The parts of a postgres.js Query this wrapper touches (its class is not exported). */
interface QueryLike {
  /** Template strings (tagged) or the text (`sql.unsafe`). */
  strings?: readonly string[] | string;
  executed?: boolean;
  handle: (...args: unknown[]) => unknown;
  resolve: (value: unknown) => unknown;
  reject: (err: unknown) => unknown;
}

const WRAPPED = Symbol('tracedSql');

const isQuery = (value: unknown): value is QueryLike =>
  typeof value === 'object' && value !== null && typeof (value as QueryLike).handle === 'function';

/**
 * postgres.js has no OpenTelemetry instrumentation, so the db module adds spans at its edge:
 * every query executed inside a span (a request's, a job's) becomes a CLIENT child span named
 * after its operation and table, with the statement as postgres.js sends it — `$1` placeholders,
 * never the values. Fragments (`sql(ids)`, nested `sql\`…\``) are never executed on their own,
 * so they make no span; queries outside any span (health checks, pool warm-up) make none either.
 * Transactions (`sql.begin`) and reserved connections hand their callback a traced `sql` too.
 */
export function traceSql(sql: Sql, tracer: Tracer, attributes: { database?: string } = {}): Sql {
  const wrap = (target: Sql): Sql =>
    new Proxy(target, {
      apply(fn, thisArg, args: unknown[]) {
        const query: unknown = Reflect.apply(fn, thisArg, args);
        if (isQuery(query)) instrument(query, tracer, attributes);
        return query;
      },
      get(fn, prop, receiver) {
        const value: unknown = Reflect.get(fn, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop === 'unsafe' || prop === 'file') {
          return (...args: unknown[]) => {
            const query: unknown = Reflect.apply(value, fn, args);
            if (isQuery(query)) instrument(query, tracer, attributes);
            return query;
          };
        }
        if (prop === 'begin') {
          // sql.begin([options,] cb): the transaction's own sql is traced as well.
          return (...args: unknown[]) => {
            const last = args.length - 1;
            const cb = args[last];
            if (typeof cb === 'function') {
              args[last] = (tx: Sql) => (cb as (tx: Sql) => unknown)(wrap(tx));
            }
            return Reflect.apply(value, fn, args);
          };
        }
        return value;
      },
    });
  return wrap(sql);
}

function instrument(query: QueryLike, tracer: Tracer, attrs: { database?: string }): void {
  if ((query as { [WRAPPED]?: true })[WRAPPED]) return;
  (query as { [WRAPPED]?: true })[WRAPPED] = true;
  const handle = query.handle;
  query.handle = function (this: QueryLike, ...args: unknown[]) {
    const parent = context.active();
    // Only under a recorded span (an unsampled request's queries would be unsampled too).
    if (this.executed || !trace.getSpan(parent)?.isRecording()) return handle.apply(this, args);
    const text = statementOf(this.strings);
    const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
    const table = /\b(?:from|into|update|join)\s+("?[\w.]+"?)/i
      .exec(text)?.[1]
      ?.replaceAll('"', '');
    const span: Span = tracer.startSpan(
      table ? `${operation} ${table}` : operation,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'postgresql',
          'db.operation.name': operation,
          'db.query.text': text,
          ...(table ? { 'db.collection.name': table } : {}),
          ...(attrs.database ? { 'db.namespace': attrs.database } : {}),
        },
      },
      parent,
    );
    const resolve = this.resolve;
    const reject = this.reject;
    this.resolve = (value: unknown) => {
      const count = (value as { count?: unknown } | null)?.count;
      if (typeof count === 'number') span.setAttribute('db.response.returned_rows', count);
      span.end();
      return resolve(value);
    };
    this.reject = (err: unknown) => {
      span.setStatus({ code: SpanStatusCode.ERROR });
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
      span.end();
      return reject(err);
    };
    return handle.apply(this, args);
  };
}

/** The statement with `$n` where the values go: what the server sees, without the values. */
function statementOf(strings: readonly string[] | string | undefined): string {
  if (!strings?.length) return '';
  const text =
    typeof strings === 'string'
      ? strings
      : strings.reduce((acc, s, i) => (i === 0 ? s : `${acc}$${i}${s}`), '');
  return text.replace(/\s+/g, ' ').trim().slice(0, 2000);
}

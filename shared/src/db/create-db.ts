import type { Tracer } from '@opentelemetry/api';
import postgres from 'postgres';
import { traceSql } from './traced-sql.ts';

export interface DbOptions {
  /** postgres:// URL. Supabase: add `?sslmode=require`. Never logged, never in errors. */
  url: string;
  /** Pool size of this process (default 10). */
  max?: number;
  /** Prepared statements (default true). false behind a transaction-mode pooler (Supabase :6543). */
  prepare?: boolean;
  /** Timeout for opening one connection (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Shown in pg_stat_activity, so an operator can tell api from worker connections. */
  applicationName?: string;
  /** Close connections idle for this long (default: keep them). */
  idleTimeoutS?: number;
  /**
   * Longest wait between reconnect attempts after the server went away (default 1 s).
   * postgres.js grows its own delay to 20 s; after a database restart that left queries
   * waiting ~18 s for a connection long after the server was back (measured by the chaos suite).
   */
  maxReconnectDelayS?: number;
  /** Server notices (default: dropped, so they never break the JSON log format). */
  onnotice?: (notice: postgres.Notice) => void;
  /**
   * With a tracer (tracing on), every query run inside a span gets a child span (traced-sql.ts).
   * Without one the client is returned as postgres.js made it: no wrapper, no cost.
   */
  tracer?: Tracer;
}

export type Db = postgres.Sql;

/**
 * The postgres.js client. int8/bigint columns stay strings (the library's default): a global
 * parser can neither fail safely (a throwing parser kills the connection) nor round silently;
 * convert at the edge where the domain bounds the value (`Number(row.size_bytes)`) or cast in
 * SQL (`count(*)::int`).
 */
export function createDb(opts: DbOptions): Db {
  // postgres.js would throw node's ERR_INVALID_URL, whose `input` property carries the URL.
  if (!URL.canParse(opts.url)) throw new Error('database URL is not a valid URL (value not shown)');
  const sql = postgres(opts.url, {
    max: opts.max ?? 10,
    prepare: opts.prepare ?? true,
    connect_timeout: (opts.connectTimeoutMs ?? 5000) / 1000,
    ...(opts.idleTimeoutS === undefined ? {} : { idle_timeout: opts.idleTimeoutS }),
    ...(opts.applicationName === undefined
      ? {}
      : { connection: { application_name: opts.applicationName } }),
    backoff: reconnectBackoff(opts.maxReconnectDelayS ?? 1),
    onnotice: opts.onnotice ?? (() => {}),
  });
  if (!opts.tracer) return sql;
  return traceSql(sql, opts.tracer, { database: new URL(opts.url).pathname.slice(1) || undefined });
}

/** Exponential from 50 ms, capped, with jitter so replicas do not reconnect in lockstep. */
export function reconnectBackoff(maxS: number): (attempt: number) => number {
  return (attempt) => Math.min(0.05 * 2 ** attempt, maxS) * (0.5 + Math.random() / 2);
}

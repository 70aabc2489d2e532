/** Overall status: a failing critical check fails the report, a failing optional one degrades it. */
export type HealthStatus = 'ok' | 'degraded' | 'fail';

export interface HealthCheckResult {
  status: 'ok' | 'fail';
  latencyMs: number;
  critical: boolean;
  /** Short and sanitised: never a connection string, a credential or a stack. */
  error?: string;
  /** Whatever the check chose to report (counts, versions). Put no secrets here. */
  details?: Record<string, unknown>;
}

/** The health JSON every process answers with (200 for ok/degraded, 503 for fail). */
export interface HealthReport {
  status: HealthStatus;
  service: string;
  version: string;
  uptimeS: number;
  checks: Record<string, HealthCheckResult>;
}

/**
 * A dependency probe. It must honour `signal` (abort the query or socket when it fires): the
 * registry stops waiting at the timeout either way, but an ignored signal leaks the work.
 */
export type HealthCheck = (
  signal: AbortSignal,
) => Promise<void | { details?: Record<string, unknown> }>;

export interface HealthCheckOptions {
  /** A failing critical check makes the report `fail` (503); an optional one `degraded`. */
  critical: boolean;
  /** Overrides the registry's timeout for this check. */
  timeoutMs?: number;
}

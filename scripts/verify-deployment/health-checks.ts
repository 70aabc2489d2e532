import type { CheckResult } from './check-result.ts';
import type { ProbeResponse } from './http-probe.ts';

interface HealthBody {
  status?: unknown;
  checks?: Record<string, { status?: unknown; error?: unknown }>;
}

const parse = (res: ProbeResponse): HealthBody | undefined => {
  try {
    const body: unknown = JSON.parse(res.body);
    return typeof body === 'object' && body !== null ? (body as HealthBody) : undefined;
  } catch {
    return undefined;
  }
};

const failing = (body: HealthBody | undefined): string[] =>
  Object.entries(body?.checks ?? {})
    .filter(([, c]) => c.status !== 'ok')
    .map(([name, c]) => (typeof c.error === 'string' ? `${name} (${c.error})` : name));

/** GET /health/live: 200 with status ok. Never touches a dependency. */
export function livenessCheck(res: ProbeResponse): CheckResult {
  const body = parse(res);
  const ok = res.status === 200 && body?.status === 'ok';
  return {
    target: 'api',
    name: 'GET /health/live',
    status: ok ? 'pass' : 'fail',
    detail: ok ? '200 ok' : `${res.status} ${String(body?.status ?? res.body.slice(0, 80))}`,
    ms: res.ms,
  };
}

/** GET /health/ready: 200 — the critical dependencies answer and the schema is migrated. */
export function readinessCheck(res: ProbeResponse): CheckResult {
  const body = parse(res);
  const ok = res.status === 200;
  const down = failing(body);
  return {
    target: 'api',
    name: 'GET /health/ready',
    status: ok ? 'pass' : 'fail',
    detail: ok
      ? '200 ready'
      : `${res.status} not ready${down.length ? `: ${down.join(', ')}` : ''}`,
    ms: res.ms,
  };
}

/** GET /health: ok passes, degraded (an optional check failing) warns, fail fails. */
export function fullHealthCheck(res: ProbeResponse): CheckResult {
  const body = parse(res);
  const status = body?.status;
  const down = failing(body);
  const verdict: CheckResult['status'] =
    res.status === 200 && status === 'ok'
      ? 'pass'
      : res.status === 200 && status === 'degraded'
        ? 'warn'
        : 'fail';
  return {
    target: 'api',
    name: 'GET /health',
    status: verdict,
    detail:
      `${res.status} ${String(status ?? 'no health JSON')}` +
      (body?.checks ? ` (checks: ${Object.keys(body.checks).join(', ')})` : '') +
      (down.length ? `; failing: ${down.join(', ')}` : ''),
    ms: res.ms,
  };
}

/**
 * GET /metrics without a token: 401 (METRICS_TOKEN set) or 404 (not served here) pass; 200
 * means anyone can read the metrics — production refuses to start without the token, so a 200
 * is a deployment not running the production config.
 */
export function metricsProtectedCheck(res: ProbeResponse): CheckResult {
  const ok = res.status === 401 || res.status === 403 || res.status === 404;
  return {
    target: 'api',
    name: 'GET /metrics needs a token',
    status: ok ? 'pass' : 'fail',
    detail: ok ? String(res.status) : `${res.status}: metrics are public, set METRICS_TOKEN`,
    ms: res.ms,
  };
}

import type { CheckResult } from './check-result.ts';
import { corsChecks } from './cors-checks.ts';
import { securityHeaderChecks } from './header-checks.ts';
import {
  fullHealthCheck,
  livenessCheck,
  metricsProtectedCheck,
  readinessCheck,
} from './health-checks.ts';
import { probe, ProbeError, type ProbeResponse } from './http-probe.ts';
import { httpsRedirectCheck } from './https-checks.ts';
import type { VerifyOptions } from './options.ts';

const unreachable = (target: CheckResult['target'], base: URL, err: unknown): CheckResult => ({
  target,
  name: 'reachable',
  status: 'fail',
  detail: `cannot reach ${target} at ${base.origin}: ${err instanceof ProbeError ? err.message : String(err)}`,
});

/** Runs one check, turning "no answer" into a failed row instead of aborting the report. */
async function guarded(
  target: CheckResult['target'],
  name: string,
  run: () => Promise<CheckResult | CheckResult[]>,
): Promise<CheckResult[]> {
  try {
    const out = await run();
    return Array.isArray(out) ? out : [out];
  } catch (err) {
    return [
      { target, name, status: 'fail', detail: err instanceof Error ? err.message : String(err) },
    ];
  }
}

export async function verifyApi(base: URL, options: VerifyOptions): Promise<CheckResult[]> {
  const get = (path: string): Promise<ProbeResponse> =>
    probe(new URL(path, base).href, { timeoutMs: options.timeoutMs });
  const https = base.protocol === 'https:';
  let live: ProbeResponse;
  try {
    live = await get('/health/live');
  } catch (err) {
    // Nothing answers: every other check would say the same thing.
    return [unreachable('api', base, err)];
  }
  return [
    livenessCheck(live),
    ...(await guarded('api', 'GET /health/ready', async () =>
      readinessCheck(await get('/health/ready')),
    )),
    ...(await guarded('api', 'GET /health', async () => fullHealthCheck(await get('/health')))),
    ...(await guarded('api', 'GET /metrics needs a token', async () =>
      metricsProtectedCheck(await get('/metrics')),
    )),
    ...securityHeaderChecks('api', live, https),
    ...(await guarded('api', 'auth required', async () => {
      const me = await get('/v1/me');
      return {
        target: 'api',
        name: 'auth required (GET /v1/me without a token)',
        status: me.status === 401 ? 'pass' : 'fail',
        detail: me.status === 401 ? '401' : `${me.status}, expected 401`,
        ms: me.ms,
      };
    })),
    ...(await guarded('api', 'CORS', () =>
      corsChecks(base, {
        timeoutMs: options.timeoutMs,
        ...(options.allowedOrigin ? { allowedOrigin: options.allowedOrigin } : {}),
      }),
    )),
    ...(https ? [await httpsRedirectCheck('api', base, '/health/live', options.timeoutMs)] : []),
  ];
}

export async function verifyWeb(base: URL, options: VerifyOptions): Promise<CheckResult[]> {
  const https = base.protocol === 'https:';
  let page: ProbeResponse;
  try {
    page = await probe(base.href, { timeoutMs: options.timeoutMs });
  } catch (err) {
    return [unreachable('web', base, err)];
  }
  const ok = page.status >= 200 && page.status < 400;
  return [
    {
      target: 'web',
      name: `GET ${base.pathname}`,
      status: ok ? 'pass' : 'fail',
      detail: `${page.status}${page.headers.get('location') ? ` → ${page.headers.get('location')}` : ''}`,
      ms: page.ms,
    },
    ...securityHeaderChecks('web', page, https),
    ...(https ? [await httpsRedirectCheck('web', base, base.pathname, options.timeoutMs)] : []),
  ];
}

/** One row judging every measured response time against --max-ms. */
export function responseTimeCheck(results: readonly CheckResult[], maxMs: number): CheckResult {
  const timed = results.filter((r): r is CheckResult & { ms: number } => r.ms !== undefined);
  if (timed.length === 0) {
    return {
      target: results[0]?.target ?? 'api',
      name: 'response times',
      status: 'skip',
      detail: 'nothing answered',
    };
  }
  const slow = timed.filter((r) => r.ms > maxMs);
  const worst = timed.reduce((a, b) => (b.ms > a.ms ? b : a));
  return {
    target: 'api',
    name: 'response times',
    status: slow.length ? 'fail' : 'pass',
    detail: slow.length
      ? `above ${maxMs} ms: ${slow.map((r) => `${r.target} ${r.name} ${r.ms} ms`).join(', ')}`
      : `${timed.length} requests, slowest ${worst.ms} ms (${worst.target} ${worst.name}), max ${maxMs} ms`,
  };
}

export async function verifyDeployment(options: VerifyOptions): Promise<CheckResult[]> {
  const results = [
    ...(await verifyApi(options.api, options)),
    ...(options.web ? await verifyWeb(options.web, options) : []),
  ];
  return [...results, responseTimeCheck(results, options.maxMs)];
}

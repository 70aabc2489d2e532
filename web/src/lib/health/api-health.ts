import 'server-only';
import { healthReport, type HealthReport } from '@saas/shared/contracts';

export type ApiHealthResult =
  /** The API's report, with the API's own status code (200 ok/degraded, 503 fail). */
  | { ok: true; httpStatus: 200 | 503; report: HealthReport }
  /** No usable report: 502 unreachable or nonsense, 504 too slow, 500 not configured. */
  | { ok: false; httpStatus: 500 | 502 | 504; detail: string };

/** Server side: API_INTERNAL_URL (e.g. a private network address), else the public API URL. */
export const apiBaseForServer = (): string =>
  (
    process.env.API_INTERNAL_URL ||
    process.env.NEXT_PUBLIC_API_URL ||
    'http://127.0.0.1:4000'
  ).replace(/\/+$/, '');

/**
 * The API's GET /health, asked by the web server (server to server: no CORS, any deployment
 * origin), validated against the contract. Never throws: a failure is a sentence.
 */
export async function fetchApiHealth(timeoutMs: number): Promise<ApiHealthResult> {
  const base = apiBaseForServer();
  if (!/^https?:\/\//i.test(base)) {
    return {
      ok: false,
      httpStatus: 500,
      detail: 'The web server does not know the API’s address: set API_INTERNAL_URL.',
    };
  }
  let res: Response;
  try {
    res = await fetch(`${base}/health`, {
      cache: 'no-store',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return err instanceof Error && err.name === 'TimeoutError'
      ? {
          ok: false,
          httpStatus: 504,
          detail: `The API did not answer its health check within ${timeoutMs / 1000} seconds.`,
        }
      : { ok: false, httpStatus: 502, detail: 'The API is not reachable from the web server.' };
  }
  const report = healthReport.safeParse(await res.json().catch(() => undefined));
  if (!report.success) {
    return {
      ok: false,
      httpStatus: 502,
      detail: `The API answered its health check with something unexpected (HTTP ${res.status}).`,
    };
  }
  return { ok: true, httpStatus: res.status === 503 ? 503 : 200, report: report.data };
}

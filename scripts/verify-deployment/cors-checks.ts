import type { CheckResult } from './check-result.ts';
import { probe } from './http-probe.ts';

/** An origin no deployment of ours may allow. */
export const FOREIGN_ORIGIN = 'https://evil.example';

const allows = (acao: string | null, origin: string): boolean => acao === '*' || acao === origin;

/**
 * A foreign origin must get no Access-Control-Allow-Origin (the browser then hides the
 * answer) and its preflight must be refused. With `allowedOrigin`, that origin's preflight
 * must succeed: a strict list that refuses the real web app is a broken deploy too.
 */
export async function corsChecks(
  base: URL,
  opts: { timeoutMs: number; allowedOrigin?: string },
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const simple = await probe(new URL('/health/live', base).href, {
    headers: { Origin: FOREIGN_ORIGIN },
    timeoutMs: opts.timeoutMs,
  });
  const acao = simple.headers.get('access-control-allow-origin');
  results.push({
    target: 'api',
    name: 'CORS refuses a foreign origin',
    status: allows(acao, FOREIGN_ORIGIN) ? 'fail' : 'pass',
    detail: allows(acao, FOREIGN_ORIGIN)
      ? `GET with Origin ${FOREIGN_ORIGIN} got Access-Control-Allow-Origin: ${acao}`
      : `GET with Origin ${FOREIGN_ORIGIN}: no Access-Control-Allow-Origin`,
    ms: simple.ms,
  });

  const preflight = (origin: string) =>
    probe(new URL('/v1/uploads', base).href, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
      timeoutMs: opts.timeoutMs,
    });
  const foreign = await preflight(FOREIGN_ORIGIN);
  const foreignAcao = foreign.headers.get('access-control-allow-origin');
  const refused = !allows(foreignAcao, FOREIGN_ORIGIN);
  results.push({
    target: 'api',
    name: 'CORS preflight refused',
    status: refused ? 'pass' : 'fail',
    detail: refused
      ? `OPTIONS /v1/uploads from ${FOREIGN_ORIGIN}: ${foreign.status}, no Access-Control-Allow-Origin`
      : `OPTIONS /v1/uploads from ${FOREIGN_ORIGIN} allowed (${foreign.status}, Access-Control-Allow-Origin: ${foreignAcao})`,
    ms: foreign.ms,
  });

  if (opts.allowedOrigin) {
    const own = await preflight(opts.allowedOrigin);
    const ok =
      own.status >= 200 &&
      own.status < 300 &&
      own.headers.get('access-control-allow-origin') === opts.allowedOrigin;
    results.push({
      target: 'api',
      name: 'CORS allows the web origin',
      status: ok ? 'pass' : 'fail',
      detail: `OPTIONS /v1/uploads from ${opts.allowedOrigin}: ${own.status}, Access-Control-Allow-Origin: ${own.headers.get('access-control-allow-origin') ?? 'none'}`,
      ms: own.ms,
    });
  }
  return results;
}

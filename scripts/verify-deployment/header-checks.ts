import type { CheckResult } from './check-result.ts';
import type { ProbeResponse } from './http-probe.ts';

/** At least 180 days: shorter HSTS lets a first visit after expiry be downgraded. */
export const MIN_HSTS_MAX_AGE_S = 180 * 24 * 3600;

type Target = CheckResult['target'];

const row = (target: Target, name: string, ok: boolean, detail: string): CheckResult => ({
  target,
  name,
  status: ok ? 'pass' : 'fail',
  detail,
});

/** Parses Content-Security-Policy into directive → value. */
export function cspDirectives(header: string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), rest.join(' '));
  }
  return map;
}

/**
 * The headers every response of ours must carry, clickjacking protection (CSP
 * frame-ancestors) included. `api` also wants a CSP that forbids everything: a JSON API
 * renders no document. HSTS only on an https URL.
 */
export function securityHeaderChecks(
  target: Target,
  res: ProbeResponse,
  https: boolean,
): CheckResult[] {
  const h = res.headers;
  const csp = h.get('content-security-policy');
  const directives = cspDirectives(csp);
  const results: CheckResult[] = [
    row(target, 'Content-Security-Policy', csp !== null, csp ?? 'missing'),
    row(
      target,
      'X-Content-Type-Options',
      h.get('x-content-type-options') === 'nosniff',
      h.get('x-content-type-options') ?? 'missing',
    ),
    row(
      target,
      'Referrer-Policy',
      h.get('referrer-policy') !== null,
      h.get('referrer-policy') ?? 'missing',
    ),
    row(
      target,
      'no X-Powered-By',
      h.get('x-powered-by') === null,
      h.get('x-powered-by') === null ? 'absent' : `present: ${h.get('x-powered-by')}`,
    ),
  ];
  if (target === 'api') {
    results.push(
      row(
        target,
        "CSP default-src 'none'",
        directives.get('default-src') === "'none'",
        directives.get('default-src') ?? 'no default-src',
      ),
    );
  }
  if (target === 'web') results.push(inlineScriptCheck(directives));
  const frameAncestors = directives.get('frame-ancestors');
  results.push(
    row(
      target,
      'CSP frame-ancestors',
      frameAncestors !== undefined,
      frameAncestors !== undefined
        ? `frame-ancestors ${frameAncestors}`
        : 'no frame-ancestors directive (clickjacking)',
    ),
  );
  if (https) results.push(hstsCheck(target, res));
  return results;
}

/**
 * The web keeps its session token where scripts can read it, so no injected inline script may
 * run: script-src (or default-src) without 'unsafe-inline', unless a nonce or hash makes
 * browsers ignore it (CSP2+). No script policy at all allows everything.
 */
export function inlineScriptCheck(directives: Map<string, string>): CheckResult {
  const name = "CSP blocks inline scripts (no 'unsafe-inline')";
  const scripts = directives.get('script-src') ?? directives.get('default-src');
  if (scripts === undefined) return row('web', name, false, 'no script-src or default-src');
  const unsafe = scripts.includes("'unsafe-inline'");
  const overridden = /'(nonce-|sha256-|sha384-|sha512-)/.test(scripts);
  return row('web', name, !unsafe || overridden, `script-src ${scripts}`);
}

export function hstsCheck(target: Target, res: ProbeResponse): CheckResult {
  const hsts = res.headers.get('strict-transport-security');
  if (!hsts) return row(target, 'HSTS', false, 'Strict-Transport-Security missing on an https URL');
  const maxAge = Number(/max-age=(\d+)/i.exec(hsts)?.[1] ?? 0);
  return row(
    target,
    'HSTS',
    maxAge >= MIN_HSTS_MAX_AGE_S,
    maxAge >= MIN_HSTS_MAX_AGE_S
      ? hsts
      : `${hsts} (max-age below ${MIN_HSTS_MAX_AGE_S} s = 180 days)`,
  );
}

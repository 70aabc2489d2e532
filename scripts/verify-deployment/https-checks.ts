import type { CheckResult } from './check-result.ts';
import { probe } from './http-probe.ts';

/**
 * For an https URL, the plain-http address must redirect to https on the same host (the
 * platform's edge does it: Railway, Vercel). A 3xx to anywhere else, or an answer over http,
 * fails; no answer at all over http is only a warning.
 */
export async function httpsRedirectCheck(
  target: CheckResult['target'],
  base: URL,
  path: string,
  timeoutMs: number,
): Promise<CheckResult> {
  const plain = new URL(path, base);
  plain.protocol = 'http:';
  try {
    const res = await probe(plain.href, { timeoutMs });
    const location = res.headers.get('location');
    const to = location ? new URL(location, plain) : undefined;
    const ok =
      res.status >= 300 &&
      res.status < 400 &&
      to?.protocol === 'https:' &&
      to.hostname === base.hostname;
    return {
      target,
      name: 'http → https redirect',
      status: ok ? 'pass' : 'fail',
      detail: ok
        ? `${res.status} → ${to!.origin}`
        : `${plain.origin} answered ${res.status}${location ? ` → ${location}` : ''}`,
      ms: res.ms,
    };
  } catch (err) {
    // Nothing served over plain http at all is safe too (typical with HSTS preloading).
    return {
      target,
      name: 'http → https redirect',
      status: 'warn',
      detail: `no answer over http (${err instanceof Error ? err.message : String(err)}): fine if http is closed on purpose`,
    };
  }
}

import { startFakeJwks } from '../lib/fake-jwks.ts';
import { startFaultProxy } from '../lib/fault-proxy.ts';
import { send, type Answer } from '../lib/one-upload.ts';
import { startApi } from '../lib/processes.ts';
import { say, sleep, waitFor } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run } from '../lib/run.ts';
import { summarize } from './probes.ts';

const OUTAGE_MS = 10_000;
/** The API under test refetches the key set once it is this old: the outage outlasts it. */
const CACHE_MAX_AGE_MS = 3000;

/**
 * The auth provider's JWKS endpoint stops answering for ~10 s (the fault proxy holds every
 * connection unanswered), longer than the API's key-set cache age. An API process configured
 * for Supabase Auth (SUPABASE_URL → the proxy → a fake JWKS endpoint) must keep verifying
 * tokens signed with the key it holds (200), answer 503 with Retry-After — not 401, which
 * would sign the user out — for a token whose key id it does not know (the provider may have
 * rotated that key in), and accept that key once the provider answers again, without a
 * restart.
 */
export async function authOutage(run: Run): Promise<void> {
  const jwks = await startFakeJwks();
  const proxy = await startFaultProxy(jwks.port);
  const issuer = `${proxy.url}/auth/v1`;
  const [current, rotated] = [await jwks.newKey(), await jwks.newKey()];
  jwks.publish([current]);
  say('auth: starting an API process that verifies Supabase Auth tokens against a JWKS');
  const api = await startApi('api-jwks', {
    ...run.ctx.apiEnv(true),
    SUPABASE_URL: proxy.url,
    AUTH_JWKS_CACHE_MAX_AGE_MS: String(CACHE_MAX_AGE_MS),
  });
  const me = async (token: string): Promise<Answer & { ms: number }> => {
    const t0 = Date.now();
    const a = await send(`${api.base}/v1/me`, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
    });
    return { ...a, ms: Date.now() - t0 };
  };
  try {
    const before = await me(await jwks.sign(current, issuer));
    say(`auth: the JWKS endpoint stops answering for ${OUTAGE_MS / 1000} s`);
    const down = Date.now();
    proxy.setHanging(true);
    // The provider rotates a key in meanwhile; the API cannot see it yet.
    jwks.publish([current, rotated]);
    await sleep(CACHE_MAX_AGE_MS + 500);
    const known: (Answer & { ms: number })[] = [];
    const unknown: (Answer & { ms: number })[] = [];
    while (Date.now() < down + OUTAGE_MS - 500) {
      // Fresh tokens each time: the verifier's per-token cache must not be what answers.
      known.push(await me(await jwks.sign(current, issuer)));
      unknown.push(await me(await jwks.sign(rotated, issuer)));
      await sleep(300);
    }
    await sleep(Math.max(0, down + OUTAGE_MS - Date.now()));
    proxy.setHanging(false);
    const up = Date.now();
    say('auth: the JWKS endpoint answers again');
    const recoveredAt = await waitFor(
      'a token signed with the rotated key to be accepted',
      async () =>
        (await me(await jwks.sign(rotated, issuer))).status === 200 ? Date.now() : false,
      30_000,
      250,
    ).catch(() => up + 30_000);
    const after = await me(await jwks.sign(current, issuer));

    const maxMs = (as: readonly { ms: number }[]) => Math.max(0, ...as.map((a) => a.ms));
    record({
      scenario: 'Auth provider down: cached key',
      expected: `tokens signed with the key the API holds answer 200 throughout, also past its ${CACHE_MAX_AGE_MS / 1000} s cache age; no answer slower than the 3 s JWKS timeout + 1 s`,
      observed: `before ${before.status}; during ${summarize(known.map((a) => a.status))} (slowest ${maxMs(known)} ms); after ${after.status}`,
      ok:
        before.status === 200 &&
        known.length > 0 &&
        known.every((a) => a.status === 200) &&
        maxMs(known) <= 4000 &&
        after.status === 200,
    });
    record({
      scenario: 'Auth provider down: unknown key id',
      expected:
        'a token whose kid the API does not hold answers 503 with Retry-After (not 401) while the JWKS does not answer; accepted within 10 s after it answers again, without a restart',
      observed: `during ${summarize(unknown.map((a) => a.status))} (Retry-After ${[...new Set(unknown.map((a) => a.retryAfter))].join(',')}; slowest ${maxMs(unknown)} ms); accepted ${((recoveredAt - up) / 1000).toFixed(1)} s after; same process: ${api.running() ? 'yes' : 'no'}`,
      ok:
        unknown.length > 0 &&
        unknown.every((a) => a.status === 503 && a.retryAfter !== null) &&
        maxMs(unknown) <= 4000 &&
        recoveredAt - up <= 10_000 &&
        api.running(),
    });
  } finally {
    api.proc.signal('SIGTERM');
    await Promise.race([api.proc.exited, sleep(10_000)]);
    await proxy.close();
    await jwks.close();
  }
}

import { randomUUID } from 'node:crypto';
import { say, sleep, waitFor } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run } from '../lib/run.ts';
import { startProbes, statusesIn, summarize } from './probes.ts';

/** The batched global limiter's largest local allowance per client (defaultMaxPending). */
const MAX_PENDING = 50;

const OUTAGE_MS = 10_000;

/**
 * Redis stopped for ~10 s, then started again on the same data (AOF). Liveness never fails;
 * readiness fails during and recovers after; the fail-open API keeps answering 200 on a
 * limited route, the fail-closed one 503 (never 500); workers become ready again; the queue
 * loses nothing (checked at the end with every upload).
 */
export async function redisOutage(run: Run): Promise<void> {
  const [open, closed] = run.apis as [Run['apis'][number], Run['apis'][number]];
  const token = await run.ctx.tokenFor(randomUUID());
  const auth = { authorization: `Bearer ${token}` };
  const probes = startProbes(
    [
      ...run.apis.map((proc) => ({
        proc,
        paths: ['/health/live', '/health/ready', '/v1/me'],
        headers: auth,
      })),
      ...run.workers.map((proc) => ({ proc, paths: ['/health/live', '/health/ready'] })),
    ],
    200,
  );
  await sleep(600);
  say(`redis: stopping the private redis-server for ${OUTAGE_MS / 1000} s`);
  const down = Date.now();
  await run.ctx.redis.stop();
  await sleep(OUTAGE_MS);
  await run.ctx.redis.start();
  const up = Date.now();
  say('redis: started again; waiting for every process to be ready');
  let readyAt = up;
  try {
    readyAt = await waitFor(
      'every API and worker to answer /health/ready 200 after Redis came back',
      async () => {
        const all = await Promise.all(
          [...run.apis, ...run.workers].map((p) => p.get('/health/ready')),
        );
        return all.every((r) => r.status === 200) ? Date.now() : undefined;
      },
      60_000,
      200,
    );
  } finally {
    await probes.stop();
  }
  run.windows.push({ name: 'redis outage', from: down - 500, to: readyAt + 2000, statuses: [503] });
  const r = probes.results;
  // Inside the outage, past the health cache and the first failed ping.
  const from = down + 1500;
  const live = [...run.apis, ...run.workers].flatMap((p) =>
    statusesIn(r, p.name, '/health/live', down, readyAt),
  );
  const apiReady = run.apis.map((p) => statusesIn(r, p.name, '/health/ready', from, up));
  const workerReady = run.workers.flatMap((p) => statusesIn(r, p.name, '/health/ready', from, up));
  const openMe = statusesIn(r, open.name, '/v1/me', from, up);
  const closedMe = statusesIn(r, closed.name, '/v1/me', from, up);
  const recoveryS = (readyAt - up) / 1000;

  record({
    scenario: 'Redis down ~10 s: liveness',
    expected: '/health/live 200 on every API and worker throughout',
    observed: summarize(live),
    ok: live.length > 0 && live.every((s) => s === 200),
  });
  record({
    scenario: 'Redis down: readiness',
    expected:
      '/health/ready 503 on both APIs and the workers during; 200 everywhere within 15 s after',
    observed: `APIs during: ${apiReady.map(summarize).join(' / ')}; workers during: ${summarize(workerReady)}; all ready ${recoveryS.toFixed(1)} s after restart`,
    ok:
      apiReady.every(
        (s) => s.length > 0 && s.includes(503) && s.every((x) => x === 503 || x === 200),
      ) &&
      workerReady.includes(503) &&
      recoveryS <= 15,
  });
  record({
    scenario: 'Redis down: rate-limit fail policy',
    // The global limit is batched (shared/src/rate-limit, batched-redis-store.ts): while Redis is
    // away each replica still admits up to maxPending unsent hits per client (50 at most) before
    // the fail policy decides, so the fail-closed API may answer a few 200s first.
    expected: `${open.name} (RATE_LIMIT_FAIL_OPEN=true) answers GET /v1/me 200; ${closed.name} (false) answers 503 once its local allowance (≤ ${MAX_PENDING} unsent hits) is used, never 500`,
    observed: `${open.name}: ${summarize(openMe)}; ${closed.name}: ${summarize(closedMe)}`,
    ok:
      openMe.length > 0 &&
      openMe.every((s) => s === 200) &&
      closedMe.includes(503) &&
      closedMe.every((s) => s === 503 || s === 200) &&
      closedMe.filter((s) => s === 200).length <= MAX_PENDING,
  });
}

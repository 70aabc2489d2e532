import { say, sleep } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run } from '../lib/run.ts';
import { startProbes, statusesIn, summarize } from './probes.ts';

const SLOW_MS = 10_000;
/** Added to every round trip: half on the way there, half on the way back. */
const ADDED_RTT_MS = 200;
const WINDOW_MS = 10_000;

interface HealthBody {
  status?: string;
  checks?: Record<string, { status?: string; latencyMs?: number }>;
}

const completedBetween = (run: Run, from: number, to: number): number =>
  run.workers
    .flatMap((w) => w.logs())
    .filter((l) => {
      const t = typeof l.time === 'number' ? l.time : Date.parse(String(l.time));
      return l.queue === 'uploads' && l.msg === 'job completed' && t >= from && t < to;
    }).length;

/**
 * 200 ms added to every PostgreSQL and every Redis round trip of every API and worker for
 * 10 s (the fault proxies delay each chunk both ways; nothing is stopped), under the steady
 * load and the upload stream. Expected: no 500 and no request left unanswered (the final
 * check: every answer 2xx outside the windows, nothing past 10 s); health stays truthful —
 * slow is not down: every check still answers inside HEALTH_CHECK_TIMEOUT_MS, so readiness
 * stays 200 and `/health` stays `ok` with each check's latencyMs showing the slowness (a
 * replica taken out of rotation for latency every replica shares would only add an outage);
 * the queue's throughput (uploads ready per 10 s) is back to its level before within 10 s.
 */
export async function slowDependencies(run: Run): Promise<void> {
  const probes = startProbes(
    [
      ...run.apis.map((proc) => ({ proc, paths: ['/health/ready', '/health'] })),
      ...run.workers.map((proc) => ({ proc, paths: ['/health/ready'] })),
    ],
    500,
  );
  // The stream has been running since the warm-up: the 10 s before are in the logs already.
  const before = completedBetween(run, Date.now() - WINDOW_MS, Date.now());
  say(`slow: +${ADDED_RTT_MS} ms on every PostgreSQL and Redis round trip for ${SLOW_MS / 1000} s`);
  const from = Date.now();
  run.ctx.pgFault.setDelayMs(ADDED_RTT_MS / 2);
  run.ctx.redisFault.setDelayMs(ADDED_RTT_MS / 2);
  await sleep(SLOW_MS / 2);
  const fullDuring = await run.apis[0]!.get('/health');
  await sleep(SLOW_MS / 2);
  run.ctx.pgFault.setDelayMs(0);
  run.ctx.redisFault.setDelayMs(0);
  const to = Date.now();
  say('slow: latency removed');
  const during = completedBetween(run, from, to);
  await sleep(WINDOW_MS);
  const after = completedBetween(run, to, to + WINDOW_MS);
  await probes.stop();

  const r = probes.results;
  const ready = [...run.apis, ...run.workers].flatMap((p) =>
    statusesIn(r, p.name, '/health/ready', from, to),
  );
  const full = run.apis.flatMap((p) => statusesIn(r, p.name, '/health', from, to));
  const body = fullDuring.body as HealthBody;
  const latencies = Object.entries(body.checks ?? {})
    .filter(([name]) => ['db', 'redis', 'migrations'].includes(name))
    .map(([name, c]) => `${name} ${c.status} ${c.latencyMs} ms`)
    .join(', ');
  record({
    scenario: 'Slow dependencies (+200 ms per PG/Redis round trip, 10 s): health',
    expected:
      'slow is not down: /health/ready 200 on every API and worker; /health ok (200) with the checks’ latencyMs showing the delay',
    observed: `ready ${summarize(ready)}; /health ${summarize(full)}; mid-way: ${body.status} (${latencies})`,
    ok:
      ready.length > 0 &&
      ready.every((s) => s === 200) &&
      full.every((s) => s === 200) &&
      body.status === 'ok' &&
      (body.checks?.db?.latencyMs ?? 0) >= ADDED_RTT_MS,
  });
  record({
    scenario: 'Slow dependencies: queue throughput',
    expected:
      'uploads processed per 10 s right after the slow spell are back to at least 80 % of the 10 s before (no backlog left, no stuck lock)',
    observed: `jobs completed: ${before} in the 10 s before, ${during} during, ${after} in the 10 s after`,
    ok: before > 0 && after >= Math.floor(before * 0.8),
  });
}

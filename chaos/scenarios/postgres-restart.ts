import { randomUUID } from 'node:crypto';
import { say, sleep, waitFor } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run } from '../lib/run.ts';
import { startProbes, statusesIn, summarize } from './probes.ts';

const DOWN_MS = 5000;

/**
 * PostgreSQL restarted (fast shutdown: every connection terminated, ~5 s down): routes that
 * need the database answer 503, not 500; readiness fails and recovers; jobs interrupted in the
 * middle retry and finish (checked at the end with every upload).
 */
export async function postgresRestart(run: Run): Promise<void> {
  const token = await run.ctx.tokenFor(randomUUID());
  const auth = { authorization: `Bearer ${token}` };
  const probes = startProbes(
    run.apis.map((proc) => ({
      proc,
      paths: ['/health/ready', '/v1/uploads?limit=5'],
      headers: auth,
    })),
    200,
  );
  await sleep(600);
  say(`postgres: fast shutdown of the private cluster, ${DOWN_MS / 1000} s down, start`);
  const down = Date.now();
  await run.ctx.pg.stop();
  const stopped = Date.now();
  await sleep(DOWN_MS);
  // Probes are stamped when answered: "during" ends when the restart begins, since a request
  // answered while pg_ctl start runs may already have reached the new server.
  const restarting = Date.now();
  await run.ctx.pg.start();
  const up = Date.now();
  let readyAt = up;
  try {
    readyAt = await waitFor(
      'both APIs to answer /health/ready 200 after PostgreSQL came back',
      async () => {
        const all = await Promise.all(run.apis.map((p) => p.get('/health/ready')));
        return all.every((r) => r.status === 200) ? Date.now() : undefined;
      },
      60_000,
      200,
    );
  } finally {
    await probes.stop();
  }
  run.windows.push({
    name: 'postgres restart',
    from: down - 500,
    to: readyAt + 2000,
    statuses: [503],
  });
  const r = probes.results;
  const during = run.apis.map((p) =>
    statusesIn(r, p.name, '/v1/uploads?limit=5', stopped + 200, restarting),
  );
  const readyDuring = run.apis.map((p) =>
    statusesIn(r, p.name, '/health/ready', stopped + 500, restarting),
  );
  const around = run.apis.flatMap((p) =>
    statusesIn(r, p.name, '/v1/uploads?limit=5', down - 1000, readyAt + 1000),
  );
  // A probe gives up after 5 s: a request that waited that long got no answer "while it is down".
  const unanswered = r.filter((x) => x.status === 0 && x.t >= down && x.t <= readyAt + 6000).length;
  record({
    scenario: 'PostgreSQL restart: API',
    expected:
      'GET /v1/uploads answers 503 (not 500, not a hang) while it is down; /health/ready 503; ready again within 15 s',
    observed: `GET /v1/uploads during: ${during.map(summarize).join(' / ')}; ready during: ${readyDuring.map(summarize).join(' / ')}; any 500 around it: ${around.filter((s) => s >= 500 && s !== 503).length}; unanswered within 5 s: ${unanswered}; ready ${((readyAt - up) / 1000).toFixed(1)} s after start`,
    ok:
      during.every((s) => s.length > 0 && s.every((x) => x === 503)) &&
      readyDuring.every((s) => s.includes(503)) &&
      around.every((s) => s < 500 || s === 503) &&
      unanswered === 0 &&
      readyAt - up <= 15_000,
  });
}

import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createDb, runMigrations } from '@saas/shared/db';
import {
  createTestDatabase,
  freePort,
  spawnNode,
  type SpawnedProcess,
  type TestDatabase,
  testS3Env,
} from '@saas/shared/test-support';
import { REPO_ROOT, stopProcess } from '../lib/child-process.ts';
import { progress, sleep, waitUntil } from '../lib/progress.ts';
import { services } from '../lib/services.ts';
import { median, round } from '../lib/stats.ts';
import { startTcpProxy, type TcpProxy } from '../lib/tcp-proxy.ts';
import type { BenchOptions, ScenarioReport } from '../lib/types.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../infra/supabase/migrations', import.meta.url));
// The API's defaults (shared/src/health/env.ts), stated here so the page can print them.
const TIMEOUT_MS = 2000;
const CACHE_MS = 1000;

interface Probe {
  status: number;
  ms: number;
}

async function probe(url: string): Promise<Probe> {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

/**
 * How long GET /health/ready takes to answer while a dependency hangs: the real API process
 * talks to PostgreSQL and Redis through TCP proxies; a proxy switched to "hang" keeps the
 * connections open and swallows every byte (new connections are accepted and never answered),
 * which is what a stuck database or a half-dead network path looks like. Readiness must answer
 * 503 by the per-check timeout, and /health/live must not wait at all.
 */
export async function healthScenario(opts: BenchOptions): Promise<ScenarioReport> {
  const probesPerDep = opts.quick ? 3 : 5;
  let db: TestDatabase | undefined;
  let dbProxy: TcpProxy | undefined;
  let redisProxy: TcpProxy | undefined;
  let api: SpawnedProcess | undefined;
  try {
    db = await createTestDatabase();
    const sql = createDb({ url: db.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end({ timeout: 1 });
    const pgUrl = new URL(db.url);
    dbProxy = await startTcpProxy(Number(pgUrl.port));
    pgUrl.port = String(dbProxy.port);
    redisProxy = await startTcpProxy(Number(new URL(services.redisUrl).port));
    const port = await freePort();
    const prefix = `benchh${Date.now().toString(36)}`;
    api = spawnNode('api/src/main.ts', {
      cwd: REPO_ROOT,
      nodeArgs: ['--import', './api/src/instrument.ts'],
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: pgUrl.toString(),
        REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
        QUEUE_PREFIX: `${prefix}:bull`,
        RATE_LIMIT_PREFIX: `${prefix}:rl:`,
        HEALTH_CHECK_TIMEOUT_MS: String(TIMEOUT_MS),
        HEALTH_CACHE_MS: String(CACHE_MS),
        ...testS3Env,
        SENTRY_DSN: '',
        // The API refuses to start without a way to verify tokens (no dev-login fallback).
        AUTH_JWT_SECRET: randomBytes(32).toString('base64url'),
      },
    });
    await api.waitForLine(/api listening/, 60_000);
    const base = `http://127.0.0.1:${port}`;
    await waitUntil(
      '/health/ready to answer 200',
      async () => (await probe(`${base}/health/ready`)).status === 200,
      30_000,
    );

    const rows: string[][] = [];
    const results: Record<'db' | 'redis', { ready: Probe[]; live: Probe[]; recoveryMs: number }> = {
      db: { ready: [], live: [], recoveryMs: 0 },
      redis: { ready: [], live: [], recoveryMs: 0 },
    };
    for (const [dep, proxy] of [
      ['db', dbProxy],
      ['redis', redisProxy],
    ] as const) {
      proxy.hang();
      progress(
        `health: ${dep === 'db' ? 'PostgreSQL' : 'Redis'} hangs; probing /health/ready ${probesPerDep} times`,
      );
      for (let i = 0; i < probesPerDep; i++) {
        // Past the cache, so every probe runs the checks again (the worst case).
        await sleep(CACHE_MS + 200);
        const [ready, live] = await Promise.all([
          probe(`${base}/health/ready`),
          sleep(50).then(() => probe(`${base}/health/live`)),
        ]);
        results[dep].ready.push(ready);
        results[dep].live.push(live);
        progress(
          `health: ${dep} hanging: ready ${ready.status} in ${Math.round(ready.ms)} ms, live ${live.status} in ${Math.round(live.ms)} ms`,
        );
      }
      proxy.pass();
      const t0 = performance.now();
      await waitUntil(
        '/health/ready to recover',
        async () => (await probe(`${base}/health/ready`)).status === 200,
        60_000,
        100,
      );
      results[dep].recoveryMs = performance.now() - t0;
      progress(`health: ${dep} back; ready 200 after ${Math.round(results[dep].recoveryMs)} ms`);
      const r = results[dep];
      rows.push([
        dep === 'db' ? 'PostgreSQL hangs' : 'Redis hangs',
        r.ready.map((p) => String(p.status)).join(', '),
        `${Math.round(median(r.ready.map((p) => p.ms)))} ms`,
        `${Math.round(Math.max(...r.ready.map((p) => p.ms)))} ms`,
        `${TIMEOUT_MS} ms`,
        `${round(Math.max(...r.live.map((p) => p.ms)), 1)} ms (${[...new Set(r.live.map((p) => p.status))].join(', ')})`,
        `${round(r.recoveryMs / 1000, 1)} s`,
      ]);
    }
    const all = [...results.db.ready, ...results.redis.ready];
    const allGood =
      all.every((p) => p.status === 503) &&
      [...results.db.live, ...results.redis.live].every((p) => p.status === 200);
    const figures = {
      'health.hangingDepMs': Math.round(median(results.db.ready.map((p) => p.ms))),
      'health.hangingRedisMs': Math.round(median(results.redis.ready.map((p) => p.ms))),
      'health.hangingDepMaxMs': Math.round(Math.max(...all.map((p) => p.ms))),
      'health.timeoutMs': TIMEOUT_MS,
      'health.liveWhileHangingMaxMs': round(
        Math.max(...[...results.db.live, ...results.redis.live].map((p) => p.ms)),
        1,
      ),
      'health.readyAnswered503': allGood ? 1 : 0,
    };
    return {
      id: 'health',
      title: 'Health: /health/ready while a dependency hangs',
      method: [
        `The real API process (\`api/src/main.ts\`, Sentry preload, \`HEALTH_CHECK_TIMEOUT_MS=${TIMEOUT_MS}\`, \`HEALTH_CACHE_MS=${CACHE_MS}\` — the defaults) reaches PostgreSQL and Redis through loopback TCP proxies.`,
        'A proxy switched to “hang” keeps every connection open and swallows every byte both ways; new connections are accepted and never answered (what `startBlackhole` does): the dependency neither answers nor fails.',
        `${probesPerDep} probes of \`/health/ready\` per hanging dependency, each after the cache expired (every probe runs the checks: the worst case), with \`/health/live\` probed alongside. Then the proxy passes traffic again (connections that saw the hang are cut) and the time until \`/health/ready\` answers 200 is measured.`,
      ],
      table: {
        header: [
          'dependency',
          'ready status',
          'ready median',
          'ready max',
          'configured timeout',
          'live max',
          'ready again after',
        ],
        rows,
      },
      figures,
      goals: [
        {
          key: 'health.hangingDepMaxMs',
          label: `/health/ready answer time with a hanging dependency (configured timeout ${TIMEOUT_MS} ms; goal: timeout + 500 ms)`,
          op: '<=',
          target: TIMEOUT_MS + 500,
          observed: figures['health.hangingDepMaxMs'],
        },
      ],
      notes: allGood
        ? []
        : [
            '**Unexpected:** not every probe answered as expected (ready 503, live 200) — see the table.',
          ],
    };
  } finally {
    if (api) await stopProcess(api, 15_000);
    await dbProxy?.close();
    await redisProxy?.close();
    await db?.drop();
  }
}

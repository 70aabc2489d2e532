import { fileURLToPath } from 'node:url';
import { createDb, runMigrations } from '@saas/shared/db';
import {
  createTestDatabase,
  spawnNode,
  testS3Env,
  type SpawnedProcess,
  type TestDatabase,
} from '@saas/shared/test-support';
import { REPO_ROOT, stopProcess } from '../lib/child-process.ts';
import { progress } from '../lib/progress.ts';
import { services } from '../lib/services.ts';
import { int, median, pairedRatio, ratioRange, round } from '../lib/stats.ts';
import type { BenchOptions, ScenarioReport } from '../lib/types.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../infra/supabase/migrations', import.meta.url));

interface Variant {
  name: string;
  kind: 'api' | 'worker';
  ours: boolean;
  script: string;
  nodeArgs: string[];
  ready: RegExp;
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'bare Express + PG + Redis',
    kind: 'api',
    ours: false,
    script: 'bench/children/bare-startup.ts',
    nodeArgs: [],
    ready: /^\{"ready":true/,
  },
  {
    name: 'API (api/src/main.ts, Sentry preload)',
    kind: 'api',
    ours: true,
    script: 'api/src/main.ts',
    nodeArgs: ['--import', './api/src/instrument.ts'],
    ready: /api listening/,
  },
  {
    name: 'raw BullMQ Worker + PG + Redis',
    kind: 'worker',
    ours: false,
    script: 'bench/children/bare-startup.ts',
    nodeArgs: [],
    ready: /^\{"ready":true/,
  },
  {
    name: 'worker (worker/src/main.ts, Sentry preload)',
    kind: 'worker',
    ours: true,
    script: 'worker/src/main.ts',
    nodeArgs: ['--import', './worker/src/instrument.ts'],
    ready: /worker ready/,
  },
];

/**
 * Start-up: from spawning the process to its ready line (API: migrations checked, PostgreSQL
 * and Redis open, listening; worker: the same plus its BullMQ workers and health server),
 * against a process that opens the same connections with nothing else. Node runs TypeScript
 * directly (--conditions=source, type stripping) in every variant alike.
 */
export async function startupScenario(opts: BenchOptions): Promise<ScenarioReport> {
  const rounds = opts.quick ? 1 : opts.rounds;
  let db: TestDatabase | undefined;
  const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  try {
    db = await createTestDatabase();
    const sql = createDb({ url: db.url, max: 1 });
    await runMigrations(sql, { dir: MIGRATIONS_DIR });
    await sql.end({ timeout: 1 });
    const prefix = `benchs${Date.now().toString(36)}`;
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: services.redisUrl,
      QUEUE_PREFIX: `${prefix}:bull`,
      RATE_LIMIT_PREFIX: `${prefix}:rl:`,
      AUTH_JWT_SECRET: 'x'.repeat(43),
      ...testS3Env,
      SENTRY_DSN: '',
    };
    for (let r = 0; r < rounds; r++) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]!);
      for (const v of order) {
        const started = performance.now();
        let proc: SpawnedProcess | undefined;
        try {
          proc = spawnNode(v.script, {
            cwd: REPO_ROOT,
            nodeArgs: v.nodeArgs,
            env: { ...env, BENCH_KIND: v.kind },
          });
          await proc.waitForLine(v.ready, 30_000);
          const ms = performance.now() - started;
          times.get(v.name)!.push(ms);
          progress(`startup: round ${r + 1}/${rounds} ${v.name}: ${int(ms)} ms`);
        } finally {
          if (proc) await stopProcess(proc, 10_000);
        }
      }
    }
  } finally {
    await db?.drop();
  }
  const series = (i: number): number[] => times.get(VARIANTS[i]!.name)!;
  const figures = {
    'startup.apiRatio': pairedRatio(series(1), series(0)),
    'startup.workerRatio': pairedRatio(series(3), series(2)),
    'startup.apiMs': round(median(series(1)), 0),
    'startup.workerMs': round(median(series(3)), 0),
    'startup.bareApiMs': round(median(series(0)), 0),
    'startup.rawWorkerMs': round(median(series(2)), 0),
  };
  return {
    id: 'startup',
    title: 'Start-up: process start to ready',
    method: [
      `Spawn → ready line, ${rounds} rounds, variants alternating (the order rotating); medians, and the median of the per-round ratios. A fresh migrated database, the shared Redis.`,
      '**API** = `node --import ./api/src/instrument.ts api/src/main.ts` until `api listening` (config parsed, migrations checked, PostgreSQL and Redis open). **Baseline** = a process that runs one query on PostgreSQL, PINGs Redis and listens with bare Express (bench/children/bare-startup.ts).',
      '**Worker** = `node --import ./worker/src/instrument.ts worker/src/main.ts` until `worker ready` (its BullMQ workers and health server up). **Baseline** = the same connections and a raw BullMQ `Worker`.',
      'Every variant runs TypeScript from source the same way (`--conditions=source`).',
    ],
    table: {
      header: ['variant', 'ms (median)', 'ratio', 'ms per round'],
      rows: VARIANTS.map((v, i) => [
        v.name,
        int(median(series(i))),
        v.ours ? String(pairedRatio(series(i), series(i - 1))) : '1 (baseline)',
        series(i)
          .map((x) => int(x))
          .join(', '),
      ]),
    },
    figures,
    goals: [
      {
        key: 'startup.apiRatio',
        label: 'API start-up vs bare Express opening the same connections',
        op: '<=',
        target: 1.5,
        observed: figures['startup.apiRatio'],
      },
      {
        key: 'startup.workerRatio',
        label: 'Worker start-up vs raw BullMQ opening the same connections',
        op: '<=',
        target: 1.5,
        observed: figures['startup.workerRatio'],
      },
      {
        key: 'startup.apiMs',
        label: 'API start-up, ms',
        op: '<=',
        target: 1500,
        observed: figures['startup.apiMs'],
      },
      {
        key: 'startup.workerMs',
        label: 'Worker start-up, ms',
        op: '<=',
        target: 1500,
        observed: figures['startup.workerMs'],
      },
    ],
    notes: [
      `Per-round ratios: API ${ratioRange(series(1), series(0))}, worker ${ratioRange(series(3), series(2))}.`,
    ],
  };
}

import { randomUUID } from 'node:crypto';
import { startChild, type BenchChild } from '../lib/child-process.ts';
import { runLoad, type LoadResult } from '../lib/load.ts';
import { progress } from '../lib/progress.ts';
import { services } from '../lib/services.ts';
import { int, median, pairedRatio, round } from '../lib/stats.ts';
import type { BenchOptions, ScenarioReport } from '../lib/types.ts';

interface Variant {
  name: string;
  path: '/plain' | '/keyed';
  key: 'none' | 'fresh' | 'same';
}

const VARIANTS: readonly Variant[] = [
  { name: 'no Idempotency-Key (baseline)', path: '/plain', key: 'none' },
  { name: 'a new key per request (claim + store)', path: '/keyed', key: 'fresh' },
  { name: 'the same key every request (replay)', path: '/keyed', key: 'same' },
];

/**
 * What an Idempotency-Key costs per request: the same POST answered without the middleware,
 * with a fresh key each time (the first request of every user action) and with one key
 * repeated (every answer a replay). Rounds alternate the variants like the api scenario.
 */
export async function idempotencyScenario(opts: BenchOptions): Promise<ScenarioReport> {
  const prefix = `bench${Date.now().toString(36)}:idem:`;
  let child: BenchChild | undefined;
  try {
    progress('idempotency: starting the server');
    child = await startChild('bench/servers/idempotency-stack.ts', {
      env: { REDIS_URL: services.redisUrl, IDEMPOTENCY_PREFIX: prefix },
    });
    const base = `http://127.0.0.1:${String(child.ready.port)}`;
    const sameKey = randomUUID();
    const load = (v: Variant, durationS: number): Promise<LoadResult> =>
      runLoad({
        url: `${base}${v.path}`,
        connections: opts.connections,
        durationS,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ filename: 'cat.png', contentType: 'image/png', size: 48213 }),
        ...(v.key === 'fresh' ? { perRequest: () => ({ 'idempotency-key': randomUUID() }) } : {}),
        ...(v.key === 'same' ? { perRequest: () => ({ 'idempotency-key': sameKey }) } : {}),
      });
    for (const v of VARIANTS) {
      const warm = await load(v, opts.quick ? 1 : 2);
      if (warm.non2xx > 0 || warm.rps === 0)
        throw new Error(
          `idempotency: ${v.name} answered ${JSON.stringify(warm.statusCodes)} during warm-up`,
        );
    }
    const runs = new Map<string, LoadResult[]>(VARIANTS.map((v) => [v.name, []]));
    for (let r = 0; r < opts.rounds; r++) {
      for (const v of VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]!)) {
        const res = await load(v, opts.httpDurationS);
        runs.get(v.name)!.push(res);
        progress(
          `idempotency: round ${r + 1}/${opts.rounds} ${v.name}: ${int(res.rps)} req/s, p99 ${res.p99} ms`,
        );
      }
    }
    const series = (n: string, pick: (r: LoadResult) => number) => runs.get(n)!.map(pick);
    const rps = (n: string) => median(series(n, (r) => r.rps));
    const baseName = VARIANTS[0]!.name;
    // Extra server time per request at saturation: 1/rps(keyed) − 1/rps(plain), in µs.
    const costUs = (n: string) => round(1e6 / rps(n) - 1e6 / rps(baseName), 0);
    const bad = [...runs.values()].flat().reduce((n, r) => n + r.non2xx + r.errors, 0);
    const figures = {
      'idempotency.plainRps': round(rps(baseName), 0),
      'idempotency.freshKeyRps': round(rps(VARIANTS[1]!.name), 0),
      'idempotency.replayRps': round(rps(VARIANTS[2]!.name), 0),
      'idempotency.freshKeyThroughputRatio': pairedRatio(
        series(VARIANTS[1]!.name, (r) => r.rps),
        series(baseName, (r) => r.rps),
      ),
      'idempotency.replayThroughputRatio': pairedRatio(
        series(VARIANTS[2]!.name, (r) => r.rps),
        series(baseName, (r) => r.rps),
      ),
      'idempotency.freshKeyCostUs': costUs(VARIANTS[1]!.name),
      'idempotency.replayCostUs': costUs(VARIANTS[2]!.name),
      'idempotency.non2xxOrErrors': bad,
    };
    const rows = VARIANTS.map((v) => [
      v.name,
      int(rps(v.name)),
      `${round(median(series(v.name, (r) => r.p50)), 1)}`,
      `${round(median(series(v.name, (r) => r.p99)), 1)}`,
      v.key === 'none'
        ? '1 (baseline)'
        : `${pairedRatio(
            series(v.name, (r) => r.rps),
            series(baseName, (r) => r.rps),
          )}`,
      v.key === 'none' ? '—' : `${costUs(v.name)}`,
      series(v.name, (r) => r.rps)
        .map(int)
        .join(', '),
    ]);
    return {
      id: 'idempotency',
      title: 'API: what an Idempotency-Key costs per request',
      method: [
        `autocannon ${opts.connections} connections, ${opts.httpDurationS} s per run, ${opts.rounds} rounds, variants alternating (order rotating). \`POST\` with a JSON body to one Express 5 process: \`jsonBody\` and a handler answering 201; the keyed route adds api/src/idempotency (the production middleware and Redis store) on an auto-pipelined producer connection to the shared local Redis.`,
        'A new key costs two Redis commands before the answer goes out (`SET NX PX` to claim, `SET XX PX` to store the answer); a replay costs two (`SET NX` fails, `GET`) and skips the handler. The rest of the API stack (auth, rate limit, logging…) is measured by the api scenario; this isolates the key.',
      ],
      table: {
        header: [
          'variant',
          'req/s (median)',
          'p50 ms',
          'p99 ms',
          'throughput ratio',
          'extra µs per request',
          'req/s per round',
        ],
        rows,
      },
      figures,
      goals: [],
      notes: bad > 0 ? [`${bad} non-2xx responses or socket errors during the measured runs.`] : [],
    };
  } finally {
    await child?.stop();
    await cleanup(prefix);
  }
}

/** Removes the records the run left in the shared Redis (SCAN, never FLUSH). */
async function cleanup(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

import { startFakeSentryIngest, type FakeSentryIngest } from '@saas/shared/observability';
import { apiBenchSetup, cleanupPrefix } from '../lib/api-env.ts';
import { startChild, type BenchChild } from '../lib/child-process.ts';
import { runLoad, type LoadResult } from '../lib/load.ts';
import { progress } from '../lib/progress.ts';
import { int, median, pairedRatio, ratioRange, ratioSpreadPct, round } from '../lib/stats.ts';
import { openPinning, type Pinning, type Placement } from '../lib/affinity.ts';
import type { BenchOptions, ScenarioReport } from '../lib/types.ts';
import { ME_PATH, UPLOAD_PATH } from '../servers/payload.ts';

interface Target {
  name: string;
  server: 'node' | 'express' | 'ours' | 'oursSentry';
  path: string;
}

const TARGETS: readonly Target[] = [
  { name: 'node:http (ceiling)', server: 'node', path: UPLOAD_PATH },
  { name: 'bare Express 5', server: 'express', path: UPLOAD_PATH },
  { name: 'full stack (ours)', server: 'ours', path: UPLOAD_PATH },
  { name: 'bare Express 5, GET /v1/me', server: 'express', path: ME_PATH },
  { name: 'full stack, GET /v1/me', server: 'ours', path: ME_PATH },
  { name: 'full stack + Sentry (errors only)', server: 'oursSentry', path: UPLOAD_PATH },
];

/**
 * The API's middleware cost: the same authenticated GET answered by bare node:http, bare
 * Express 5 and the full production stack, each in its own process, loaded by autocannon at
 * a fixed number of connections. Targets alternate within each round (the order rotates from
 * round to round) so a noisy neighbour hits all of them alike; medians of the rounds.
 */
export async function apiHttpScenario(opts: BenchOptions): Promise<ScenarioReport> {
  const setup = await apiBenchSetup();
  const { prefix, headers } = setup;
  const apiEnv = setup.env;

  let sentryIngest: FakeSentryIngest | undefined;
  let restorePinning: Pinning | undefined;
  const children: Partial<Record<Target['server'], BenchChild>> = {};
  try {
    progress('api: starting servers (node:http, bare Express, full stack, full stack + Sentry)');
    sentryIngest = await startFakeSentryIngest();
    const [node, express, ours, oursSentry] = await Promise.all([
      startChild('bench/servers/node-http.ts'),
      startChild('bench/servers/bare-express.ts'),
      startChild('bench/servers/api-stack.ts', { env: apiEnv() }),
      // As deployed: Sentry preloaded before Express (node --import), errors only.
      startChild('bench/servers/api-stack.ts', {
        env: apiEnv({ SENTRY_DSN: sentryIngest.dsn, SENTRY_TRACES_SAMPLE_RATE: '0' }),
        nodeArgs: ['--import', './api/src/instrument.ts'],
      }),
    ]);
    Object.assign(children, { node, express, ours, oursSentry });
    if (oursSentry.ready.sentry !== true)
      throw new Error('the Sentry variant started without Sentry');

    const urlOf = (t: Target): string =>
      `http://127.0.0.1:${String(children[t.server]!.ready.port)}${t.path}`;

    progress(`api: warming up each target (${opts.quick ? 1 : 2} s)`);
    for (const t of TARGETS) {
      const warm = await runLoad({
        url: urlOf(t),
        connections: opts.connections,
        durationS: opts.quick ? 1 : 2,
        headers,
      });
      if (warm.non2xx > 0 || warm.rps === 0) {
        throw new Error(
          `api: ${t.name} answered ${JSON.stringify(warm.statusCodes)} (errors ${warm.errors}) during warm-up; expected only 200`,
        );
      }
    }

    const pinning = opts.placements.includes('pinned') ? await openPinning() : undefined;
    restorePinning = pinning;
    // Pinned figures are the goal's when pinning is available; unpinned otherwise.
    const placements: Placement[] = opts.placements.filter((p) => p === 'unpinned' || pinning);
    if (placements.length === 0) placements.push('unpinned');
    const goalPlacement: Placement = placements.includes('pinned') ? 'pinned' : 'unpinned';
    if (opts.placements.includes('pinned') && !pinning)
      progress(
        'api: pinning unavailable (needs Linux, taskset, 2+ CPUs, a local redis-server): unpinned only',
      );
    const serverPids = Object.values(children).map((c) => c.pid);
    const key = (p: Placement, name: string): string => `${p}:${name}`;
    const runs = new Map<string, LoadResult[]>(
      placements.flatMap((p) => TARGETS.map((t) => [key(p, t.name), []] as [string, LoadResult[]])),
    );
    const bareName = TARGETS[1]!.name;
    const oursName = TARGETS[2]!.name;
    const series = (p: Placement, name: string, pick: (r: LoadResult) => number): number[] =>
      runs.get(key(p, name))!.map(pick);
    const byRps = (r: LoadResult): number => r.rps;
    const byP99 = (r: LoadResult): number => r.p99;
    const spreadOf = (p: Placement, pick: (r: LoadResult) => number): number =>
      ratioSpreadPct(series(p, oursName, pick), series(p, bareName, pick));
    let rounds = 0;
    for (let r = 0; r < opts.maxRounds; r++) {
      const order = TARGETS.map((_, i) => TARGETS[(i + r) % TARGETS.length]!);
      // Alternate which placement goes first, like the targets.
      const placementOrder = r % 2 === 0 ? placements : [...placements].reverse();
      for (const placement of placementOrder) {
        await pinning?.place(placement, serverPids);
        for (const t of order) {
          const res = await runLoad({
            url: urlOf(t),
            connections: opts.connections,
            durationS: opts.httpDurationS,
            headers,
          });
          runs.get(key(placement, t.name))!.push(res);
          progress(
            `api: round ${r + 1} ${placement} ${t.name}: ${int(res.rps)} req/s, p99 ${res.p99} ms` +
              (res.non2xx + res.errors > 0 ? ` (non-2xx ${res.non2xx}, errors ${res.errors})` : ''),
          );
        }
      }
      rounds = r + 1;
      if (rounds < opts.rounds) continue;
      const spreadRps = spreadOf(goalPlacement, byRps);
      const spreadP99 = spreadOf(goalPlacement, byP99);
      progress(
        `api: after ${rounds} rounds (${goalPlacement}) throughput ratio ±${spreadRps} %, p99 ratio ±${spreadP99} % (target ±${opts.targetSpreadPct} %)`,
      );
      if (spreadRps <= opts.targetSpreadPct && spreadP99 <= opts.targetSpreadPct) break;
    }
    await pinning?.restore();

    const med = (p: Placement, name: string, pick: (r: LoadResult) => number): number =>
      median(series(p, name, pick));
    const bad = [...runs.values()].flat().reduce((n, r) => n + r.non2xx + r.errors, 0);
    const paired = (p: Placement, a: string, b: string, pick: (r: LoadResult) => number): number =>
      pairedRatio(series(p, a, pick), series(p, b, pick));
    const figuresOf = (p: Placement, prefix: string): Record<string, number> => ({
      [`${prefix}throughputRatio`]: paired(p, oursName, bareName, byRps),
      [`${prefix}p99Ratio`]: paired(p, oursName, bareName, byP99),
      [`${prefix}throughputRatioSpreadPct`]: spreadOf(p, byRps),
      [`${prefix}p99RatioSpreadPct`]: spreadOf(p, byP99),
      [`${prefix}oursRps`]: round(med(p, oursName, byRps), 0),
      [`${prefix}bareExpressRps`]: round(med(p, bareName, byRps), 0),
      [`${prefix}nodeHttpRps`]: round(med(p, TARGETS[0]!.name, byRps), 0),
      [`${prefix}nodeHttpToExpressRatio`]: paired(p, TARGETS[0]!.name, bareName, byRps),
      [`${prefix}meThroughputRatio`]: paired(p, TARGETS[4]!.name, TARGETS[3]!.name, byRps),
      [`${prefix}meP99Ratio`]: paired(p, TARGETS[4]!.name, TARGETS[3]!.name, byP99),
      [`${prefix}withSentryThroughputRatio`]: paired(p, TARGETS[5]!.name, bareName, byRps),
      [`${prefix}withSentryP99Ratio`]: paired(p, TARGETS[5]!.name, bareName, byP99),
    });
    const figures = {
      ...figuresOf(goalPlacement, 'api.'),
      ...(placements.includes('unpinned') && goalPlacement === 'pinned'
        ? figuresOf('unpinned', 'api.unpinned.')
        : {}),
      'api.pinned': goalPlacement === 'pinned' ? 1 : 0,
      'api.rounds': rounds,
      'api.non2xxOrErrors': bad,
    } as Record<string, number>;
    const baselineOf = (t: Target): string => (t.path === ME_PATH ? TARGETS[3]!.name : bareName);
    const placementLabel = (p: Placement): string =>
      p === 'pinned' && pinning
        ? `pinned (server on CPU ${pinning.layout.server})${p === goalPlacement ? ' — goal' : ''}`
        : `unpinned${p === goalPlacement ? ' — goal' : ''}`;
    const rows = placements.flatMap((p) =>
      TARGETS.map((t) => {
        const all = runs.get(key(p, t.name))!;
        const base = baselineOf(t);
        return [
          placementLabel(p),
          t.name,
          `\`GET ${t.path === ME_PATH ? ME_PATH : '/v1/bench/uploads/:id'}\``,
          int(med(p, t.name, byRps)),
          `${round(
            med(p, t.name, (x) => x.p50),
            1,
          )}`,
          `${round(med(p, t.name, byP99), 1)}`,
          t.server === 'express'
            ? '1 (baseline)'
            : `${paired(p, t.name, base, byRps)}${t.server === 'node' ? '× Express' : ''}`,
          t.server === 'express' ? '1 (baseline)' : `${paired(p, t.name, base, byP99)}`,
          all.map((x) => int(x.rps)).join(', '),
        ];
      }),
    );
    const spreadNote = (p: Placement): string =>
      `${p}: per-round throughput ratios of the full stack ${ratioRange(series(p, oursName, byRps), series(p, bareName, byRps))} (±${spreadOf(p, byRps)} %, half the interquartile range over the median), p99 ratios ${ratioRange(series(p, oursName, byP99), series(p, bareName, byP99))} (±${spreadOf(p, byP99)} %)`;
    return {
      id: 'api',
      title: 'API: full middleware stack vs bare Express 5',
      method: [
        `autocannon ${opts.connections} connections, no pipelining, ${opts.httpDurationS} s per run, ${rounds} rounds (at least ${opts.rounds}, at most ${opts.maxRounds}: rounds are added until the per-round ratios' spread is within ±${opts.targetSpreadPct} %); every target once per round and placement, the order rotating between rounds (after a ${opts.quick ? 1 : 2} s warm-up per target). Req/s and latencies: medians of the rounds; ratios: the median of the per-round ratios (a load spike on the shared machine hits both runs of a round).`,
        pinning
          ? `**Placement.** *Pinned* (the goal's figures): the bench process (autocannon) and redis-server on CPU ${pinning.layout.client}, the server under test on CPU ${pinning.layout.server} (\`taskset -a\`, every thread), the same for the baselines and ours, so the client no longer takes CPU from the server it measures. *Unpinned*: every process on every CPU, as before (kept for comparison with earlier runs). PostgreSQL and the S3 server are not on the measured path. redis-server's affinity is put back after the scenario.`
          : 'Pinning was unavailable on this machine (Linux, taskset, 2+ CPUs and a local redis-server are needed): every figure is unpinned.',
        'Each server runs in its own Node process; autocannon runs in the bench process. Same headers everywhere: `Authorization: Bearer <HS256 token>`, `Origin: http://localhost:3000`.',
        '**Full stack** = `createApp()` from api/src/app.ts wired like api/src/main.ts, in production mode: request id, metrics (histogram + in-flight gauge), pino-http through the scrubbing logger (its default batched destination — one write(2) per event-loop turn — to /dev/null), helmet, connection drain, CORS allow-list, the app-wide per-IP rate limit counted locally and reconciled with the shared local Redis every 100 ms (as main.ts wires it; the limit set high enough never to answer 429), bearer-token verification (jose HS256, with the verifier’s cache of verified tokens), zod validation of the path parameters (`uploadIdParams` from the contracts).',
        'The app’s authenticated, validated GET routes also query PostgreSQL, which the baselines would not: the bench adds one route, `GET /v1/bench/uploads/:id`, at the place of the versioned routes (before the 404/error tail) using the app’s own `requireUser` and `parseInput`, answering the same JSON as the baselines. `GET /v1/me` (the app’s own route, no input to validate) is measured as well.',
        '**+ Sentry**: the same stack preloaded with api/src/instrument.ts and a DSN (a local fake ingest), tracing off — what a deployment with Sentry runs.',
        'Bare Express 5: `express()` with one route and `res.json()`, nothing else (ETag and X-Powered-By left at their defaults). node:http: `res.end(JSON)`.',
      ],
      table: {
        header: [
          'placement',
          'target',
          'route',
          'req/s (median)',
          'p50 ms',
          'p99 ms',
          'throughput ratio',
          'p99 ratio',
          'req/s per round',
        ],
        rows,
      },
      figures,
      goals: [
        {
          key: 'api.throughputRatio',
          label: 'API throughput vs bare Express',
          op: '>=',
          target: 0.6,
          observed: figures['api.throughputRatio']!,
        },
        {
          key: 'api.p99Ratio',
          label: 'API p99 latency vs bare Express',
          op: '<=',
          target: 2,
          observed: figures['api.p99Ratio']!,
        },
      ],
      notes: [
        `Spread over ${rounds} rounds — ${placements.map(spreadNote).join('; ')}. The goal's figures are the ${goalPlacement} ones.`,
        ...(bad > 0
          ? [
              `${bad} non-2xx responses or socket errors during the measured runs (see progress output).`,
            ]
          : []),
        ...(figures['api.throughputRatio']! < 0.6 || figures['api.p99Ratio']! > 2
          ? [
              `**What limits it.** \`npm run bench:profile\` (bench/profile-api.ts) gives the server's CPU per request by layer and function; bench/profiles/ keeps the runs before and after the per-request cuts (the app-wide rate limit no longer calls Redis per request, log lines share one write per event-loop turn). At saturation here the stack takes about ${Math.round(1e6 / figures['api.oursRps']!)} µs per request where bare Express takes ${Math.round(1e6 / figures['api.bareExpressRps']!)} µs (wall time per request at this throughput, not CPU). The tail is hit harder than the mean (p99 ${figures['api.p99Ratio']!}× against ${round(1 / figures['api.throughputRatio']!, 1)}× per request): the stack allocates more per request, so its garbage-collection pauses are longer — each pause holds up all ${opts.connections} connections.`,
            ]
          : []),
        `**Sentry** (not part of the goal’s stack) is what a deployment adds most: preloaded with a DSN and tracing off, the same stack runs at ${figures['api.withSentryThroughputRatio']!} of bare Express instead of ${figures['api.throughputRatio']!}. What is left is the SDK’s per-request isolation scope (a cloned scope, a propagation context with fresh ids), which keeps each request’s ids on its own errors. Before shared/src/observability passed \`tracesSampleRate: null\` (the SDK read \`SENTRY_TRACES_SAMPLE_RATE=0\` back from the environment and started a span per request and per Express layer), left out the Express integration without tracing and turned request sessions off, this row was 0.11.`,
      ],
    };
  } finally {
    await restorePinning?.restore();
    await Promise.all(Object.values(children).map((c) => c.stop()));
    await sentryIngest?.close();
    await cleanupPrefix(prefix);
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createUploadsQueue, JOBS } from '@saas/shared/queue';
import { testS3Env } from '@saas/shared/test-support';
import { startChild, waitForJsonLine, type BenchChild } from '../lib/child-process.ts';
import { runLoad } from '../lib/load.ts';
import { startOtlpSink, type OtlpSink } from '../lib/otlp-sink.ts';
import { progress } from '../lib/progress.ts';
import { services } from '../lib/services.ts';
import { int, median, pairedRatio, ratioRange, round } from '../lib/stats.ts';
import { signToken } from '../lib/token.ts';
import type { BenchOptions, ScenarioReport } from '../lib/types.ts';
import { BENCH_USER_ID, UPLOAD_PATH } from '../servers/payload.ts';

interface Variant {
  name: string;
  key: 'baseline' | 'off' | 'ratio' | 'all';
  /** Preload the process's instrument.ts (Sentry off: no DSN). */
  preload: boolean;
  /** OTEL_* variables; undefined = tracing off. */
  otel?: (sink: OtlpSink) => Record<string, string>;
}

const VARIANTS: readonly Variant[] = [
  { name: 'no preload (baseline)', key: 'baseline', preload: false },
  { name: 'tracing off (instrument.ts, no endpoint)', key: 'off', preload: true },
  {
    name: 'tracing on, ratio 0.1',
    key: 'ratio',
    preload: true,
    otel: (sink) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    }),
  },
  {
    name: 'tracing on, every trace (1.0)',
    key: 'all',
    preload: true,
    otel: (sink) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    }),
  },
];

/** Fills a fresh queue with `jobs` process-upload jobs (no traceparent: each job a new trace). */
async function fillQueue(redis: Redis, prefix: string, jobs: number): Promise<void> {
  const queue = createUploadsQueue(redis, { prefix });
  try {
    for (let i = 0; i < jobs; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => {
        const uploadId = randomUUID();
        return {
          name: JOBS.processUpload,
          data: { uploadId, requestId: `bench-${i + k}` },
          opts: { jobId: uploadId },
        };
      });
      await queue.addBulk(batch);
    }
  } finally {
    await queue.close();
  }
}

/**
 * What OpenTelemetry costs: the API's full stack and the worker runtime, each as deployed
 * (instrument.ts preloaded), with tracing off, on at ratio 0.1 and on for every trace,
 * exporting to a local sink — against the same stack without the preload, in the same run.
 */
export async function tracingScenario(opts: BenchOptions): Promise<ScenarioReport> {
  const sink = await startOtlpSink();
  const secret = randomBytes(32).toString('base64url');
  const token = await signToken({ secret, issuer: 'bench', sub: BENCH_USER_ID });
  const prefix = `bencht${Date.now().toString(36)}`;
  const apiRps = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  const apiP99 = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  const jobRates = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  const servers = new Map<string, BenchChild>();
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
  try {
    progress('tracing: starting the API stack four times (baseline, off, 0.1, 1.0)');
    const apiEnv = (v: Variant): Record<string, string> => ({
      LOG_LEVEL: 'info',
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      QUEUE_PREFIX: `${prefix}:bull`,
      RATE_LIMIT_PREFIX: `${prefix}:rl:`,
      RATE_LIMIT_MAX: '1000000000',
      AUTH_JWT_SECRET: secret,
      AUTH_JWT_ISSUER: 'bench',
      CORS_ORIGINS: 'http://localhost:3000',
      ...testS3Env,
      SENTRY_DSN: '',
      ...(v.otel?.(sink) ?? {}),
    });
    const started = await Promise.all(
      VARIANTS.map((v) =>
        startChild('bench/servers/api-stack.ts', {
          env: apiEnv(v),
          nodeArgs: v.preload ? ['--import', './api/src/instrument.ts'] : [],
        }),
      ),
    );
    VARIANTS.forEach((v, i) => {
      const child = started[i]!;
      if ((child.ready.tracing === true) !== Boolean(v.otel))
        throw new Error(`tracing: ${v.name} started with tracing ${String(child.ready.tracing)}`);
      servers.set(v.name, child);
    });
    const headers = {
      authorization: `Bearer ${token}`,
      origin: 'http://localhost:3000',
      accept: 'application/json',
    };
    const urlOf = (v: Variant) =>
      `http://127.0.0.1:${String(servers.get(v.name)!.ready.port)}${UPLOAD_PATH}`;
    for (const v of VARIANTS) {
      await runLoad({
        url: urlOf(v),
        connections: opts.connections,
        durationS: opts.quick ? 1 : 2,
        headers,
      });
    }
    for (let r = 0; r < opts.rounds; r++) {
      for (let i = 0; i < VARIANTS.length; i++) {
        const v = VARIANTS[(i + r) % VARIANTS.length]!;
        const res = await runLoad({
          url: urlOf(v),
          connections: opts.connections,
          durationS: opts.httpDurationS,
          headers,
        });
        if (res.non2xx + res.errors > 0)
          throw new Error(
            `tracing: ${v.name} answered non-2xx/errors: ${JSON.stringify(res.statusCodes)}`,
          );
        apiRps.get(v.name)!.push(res.rps);
        apiP99.get(v.name)!.push(res.p99);
        progress(
          `tracing: api round ${r + 1}/${opts.rounds} ${v.name}: ${int(res.rps)} req/s, p99 ${res.p99} ms`,
        );
      }
    }
    await Promise.all([...servers.values()].map((c) => c.stop()));
    servers.clear();

    for (let r = 0; r < opts.rounds; r++) {
      for (let i = 0; i < VARIANTS.length; i++) {
        const v = VARIANTS[(i + r) % VARIANTS.length]!;
        const qprefix = `${prefix}w${r}${i}`;
        await fillQueue(redis, qprefix, opts.workerJobs);
        const child = await startChild('bench/children/our-worker.ts', {
          nodeArgs: v.preload ? ['--import', './worker/src/instrument.ts'] : [],
          env: {
            BENCH_REDIS_URL: services.redisUrl,
            BENCH_PREFIX: qprefix,
            BENCH_CONCURRENCY: String(opts.workerConcurrency),
            BENCH_JOBS: String(opts.workerJobs),
            SENTRY_DSN: '',
            NODE_ENV: 'production',
            ...(v.otel?.(sink) ?? {}),
          },
        });
        try {
          if ((child.ready.tracing === true) !== Boolean(v.otel))
            throw new Error(
              `tracing: worker ${v.name} started with tracing ${String(child.ready.tracing)}`,
            );
          const result = await waitForJsonLine(child.proc, 'result', 300_000);
          const jobsPerS = (Number(result.jobs) / Number(result.ms)) * 1000;
          jobRates.get(v.name)!.push(jobsPerS);
          progress(
            `tracing: worker round ${r + 1}/${opts.rounds} ${v.name}: ${int(jobsPerS)} jobs/s`,
          );
        } finally {
          await child.stop();
          const queue = createUploadsQueue(redis, { prefix: qprefix });
          await queue.obliterate({ force: true }).finally(() => queue.close());
        }
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((c) => c.stop()));
    redis.disconnect();
    await sink.close();
  }

  const [base, off, tenth, all] = VARIANTS as [Variant, Variant, Variant, Variant];
  const rpsRatio = (v: Variant) => pairedRatio(apiRps.get(v.name)!, apiRps.get(base.name)!);
  const jobRatio = (v: Variant) => pairedRatio(jobRates.get(v.name)!, jobRates.get(base.name)!);
  const figures = {
    'tracing.apiOffRatio': rpsRatio(off),
    'tracing.apiRatio01': rpsRatio(tenth),
    'tracing.apiRatio1': rpsRatio(all),
    'tracing.workerOffRatio': jobRatio(off),
    'tracing.workerRatio01': jobRatio(tenth),
    'tracing.workerRatio1': jobRatio(all),
    'tracing.sinkRequests': sink.stats().requests,
  };
  return {
    id: 'tracing',
    title: 'Tracing: OpenTelemetry off, at ratio 0.1 and on every trace',
    method: [
      `The API's full stack (bench/servers/api-stack.ts, the same as in the API scenario) and the worker runtime (bench/children/our-worker.ts, ${opts.workerJobs.toLocaleString('en-US')} no-op jobs, concurrency ${opts.workerConcurrency}), each in four variants: without the instrument.ts preload (the baseline), preloaded with no OTLP endpoint (tracing off, as deployed without a backend), and preloaded with an endpoint at a local sink that reads and drops the exports, sampling \`parentbased_traceidratio\` 0.1 and \`parentbased_always_on\`. Sentry off in all four (no DSN), so only tracing differs.`,
      `autocannon ${opts.connections} connections, ${opts.httpDurationS} s per run, ${opts.rounds} rounds, the order rotating between rounds; ratios are the median of per-round ratios against the baseline. Load sends no traceparent: every request and job starts its own trace, which the ratio samples.`,
      'A traced request makes a SERVER span, its SQL, Redis (rate limiter EVALSHA) spans, the log lines get traceId/spanId; a traced job a CONSUMER span. Spans are batched and sent as OTLP/HTTP JSON.',
    ],
    table: {
      header: ['variant', 'API req/s', 'API ratio', 'API p99 ms', 'worker jobs/s', 'worker ratio'],
      rows: VARIANTS.map((v) => [
        v.name,
        int(median(apiRps.get(v.name)!)),
        v === base ? '1 (baseline)' : String(rpsRatio(v)),
        String(round(median(apiP99.get(v.name)!), 1)),
        int(median(jobRates.get(v.name)!)),
        v === base ? '1 (baseline)' : String(jobRatio(v)),
      ]),
    },
    figures,
    goals: [
      {
        key: 'tracing.apiOffRatio',
        label: 'API throughput, tracing off vs no preload',
        op: '>=',
        target: 0.98,
        observed: figures['tracing.apiOffRatio'],
      },
      {
        key: 'tracing.workerOffRatio',
        label: 'Worker jobs/s, tracing off vs no preload',
        op: '>=',
        target: 0.98,
        observed: figures['tracing.workerOffRatio'],
      },
      {
        key: 'tracing.apiRatio01',
        label: 'API throughput, tracing at 0.1 vs no preload',
        op: '>=',
        target: 0.9,
        observed: figures['tracing.apiRatio01'],
      },
      {
        key: 'tracing.workerRatio01',
        label: 'Worker jobs/s, tracing at 0.1 vs no preload',
        op: '>=',
        target: 0.9,
        observed: figures['tracing.workerRatio01'],
      },
    ],
    notes: [
      `Per-round API ratios, tracing off: ${ratioRange(apiRps.get(off.name)!, apiRps.get(base.name)!)}; at 0.1: ${ratioRange(apiRps.get(tenth.name)!, apiRps.get(base.name)!)}; at 1.0: ${ratioRange(apiRps.get(all.name)!, apiRps.get(base.name)!)}. Worker, off: ${ratioRange(jobRates.get(off.name)!, jobRates.get(base.name)!)}. On a shared 2-core machine a single run moves by a few per cent either way: read a ratio within that band of 1 as "no measurable cost".`,
      `The sink received ${int(sink.stats().requests)} export requests (${int(sink.stats().bytes / 1024)} KiB).`,
    ],
  };
}

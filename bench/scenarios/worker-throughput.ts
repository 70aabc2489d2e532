import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { startFakeSentryIngest, type FakeSentryIngest } from '@saas/shared/observability';
import { createUploadsQueue, JOBS } from '@saas/shared/queue';
import { startChild, waitForJsonLine } from '../lib/child-process.ts';
import { progress } from '../lib/progress.ts';
import { services } from '../lib/services.ts';
import { int, median, pairedRatio, ratioRange, round } from '../lib/stats.ts';
import type { BenchOptions, ScenarioReport } from '../lib/types.ts';

interface Variant {
  name: string;
  script: string;
  nodeArgs?: string[];
  sentry?: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'raw BullMQ Worker', script: 'bench/children/raw-worker.ts' },
  {
    name: 'our worker runtime (Sentry preloaded)',
    script: 'bench/children/our-worker.ts',
    nodeArgs: ['--import', './worker/src/instrument.ts'],
    sentry: true,
  },
  { name: 'our worker runtime, without Sentry', script: 'bench/children/our-worker.ts' },
];

/** Fills a fresh queue (own prefix) with `jobs` process-upload jobs, as the API enqueues them. */
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

async function dropQueue(redis: Redis, prefix: string): Promise<void> {
  const queue = createUploadsQueue(redis, { prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

/**
 * Jobs per second of our worker runtime against a raw BullMQ Worker, both with a no-op
 * processor, the same concurrency and the same Redis. Each run gets a fresh queue (unique
 * prefix) pre-filled with the same number of jobs; the child opens its connections, then is
 * timed from its first fetch to its last completion. Variants alternate within each round.
 */
export async function workerThroughputScenario(opts: BenchOptions): Promise<ScenarioReport> {
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
  let sentryIngest: FakeSentryIngest | undefined;
  const rates = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  try {
    sentryIngest = await startFakeSentryIngest();
    for (let r = 0; r < opts.rounds; r++) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]!);
      for (const v of order) {
        const prefix = `benchw${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
        await fillQueue(redis, prefix, opts.workerJobs);
        const child = await startChild(v.script, {
          nodeArgs: v.nodeArgs,
          env: {
            BENCH_REDIS_URL: services.redisUrl,
            BENCH_PREFIX: prefix,
            BENCH_CONCURRENCY: String(opts.workerConcurrency),
            BENCH_JOBS: String(opts.workerJobs),
            SENTRY_DSN: v.sentry ? sentryIngest.dsn : '',
            NODE_ENV: 'production',
          },
        });
        try {
          if (v.sentry && child.ready.sentry !== true)
            throw new Error(`${v.name}: Sentry did not start`);
          const result = await waitForJsonLine(child.proc, 'result', 300_000);
          const jobsPerS = (Number(result.jobs) / Number(result.ms)) * 1000;
          rates.get(v.name)!.push(jobsPerS);
          progress(
            `worker: round ${r + 1}/${opts.rounds} ${v.name}: ${int(jobsPerS)} jobs/s (${int(Number(result.ms))} ms for ${int(Number(result.jobs))})`,
          );
        } finally {
          await child.stop();
          await dropQueue(redis, prefix);
        }
      }
    }
  } finally {
    await sentryIngest?.close();
    redis.disconnect();
  }
  const med = (v: Variant): number => median(rates.get(v.name)!);
  const [raw, ours, oursNoSentry] = VARIANTS as [Variant, Variant, Variant];
  const figures = {
    'worker.throughputRatio': pairedRatio(rates.get(ours.name)!, rates.get(raw.name)!),
    'worker.withoutSentryThroughputRatio': pairedRatio(
      rates.get(oursNoSentry.name)!,
      rates.get(raw.name)!,
    ),
    'worker.oursJobsPerS': round(med(ours), 0),
    'worker.rawJobsPerS': round(med(raw), 0),
  };
  return {
    id: 'worker',
    title: 'Worker: our job runtime vs a raw BullMQ worker',
    method: [
      `${opts.workerJobs.toLocaleString('en-US')} no-op \`process-upload\` jobs per run (payload \`{uploadId, requestId}\`, the shared queue's default job options, jobId = uploadId, as the API enqueues them), pre-filled into a fresh queue with its own prefix on the shared local Redis; BullMQ concurrency ${opts.workerConcurrency} for every variant; ${opts.rounds} rounds, variants alternating; median jobs/s, and the median of the per-round ratios.`,
      'Each worker is its own Node process, timed from its first fetch (connections already open) to its last `completed` event.',
      '**Ours** = `createWorkerRuntime()` from worker/src/processing with a no-op handler: zod payload validation, a child logger per job with `job started` / `job completed` lines through the scrubbing logger (its default batched destination to /dev/null), `jobs_completed_total` and the `job_duration_seconds` histogram, the failure/give-up path wired to the Sentry handle, active-job tracking, BullMQ’s own per-minute metrics. As deployed it is preloaded with worker/src/instrument.ts and a DSN (a local fake ingest, errors only); the run without the preload shows what the Sentry SDK’s instrumentation costs.',
      '**Raw** = `new Worker("uploads", async () => ({}), {connection, prefix, concurrency})`.',
    ],
    table: {
      header: ['variant', 'jobs/s (median)', 'ratio vs raw', 'jobs/s per round'],
      rows: VARIANTS.map((v) => [
        v.name,
        int(med(v)),
        v === raw ? '1 (baseline)' : `${pairedRatio(rates.get(v.name)!, rates.get(raw.name)!)}`,
        rates.get(v.name)!.map(int).join(', '),
      ]),
    },
    figures,
    goals: [
      {
        key: 'worker.throughputRatio',
        label: 'Worker throughput vs raw BullMQ (no-op jobs)',
        op: '>=',
        target: 0.85,
        observed: figures['worker.throughputRatio'],
      },
    ],
    notes: [
      `Per-round ratios of our worker (Sentry preloaded) ranged ${ratioRange(rates.get(ours.name)!, rates.get(raw.name)!)} in this run.`,
      ...(figures['worker.throughputRatio'] < 0.85
        ? [
            `**What limits it.** The raw worker is bound by Redis (a third of its process is idle, waiting for BullMQ’s Lua scripts; redis-server shares the ${cpus().length} cores), so every µs ours adds per job shows. Ours adds per job: zod validation of the payload, two log lines through the scrubbing logger (\`job started\` through the job’s child logger, \`job completed\` with the fields inline), written through the batched destination (they were a synchronous write each — the largest item, about 40 µs of the difference in an earlier CPU profile), a histogram observation and counters, and BullMQ’s per-minute metrics (an INCR in its finishing script). As deployed Sentry is preloaded, errors only, which instruments nothing per job (the run without the preload: ${figures['worker.withoutSentryThroughputRatio']}). Rounds vary by ±20 % here (Redis is shared with other work on the machine): compare the per-round figures. Real jobs take milliseconds to seconds (process-upload streams an object), next to which this per-job overhead (~${Math.round(1e6 / figures['worker.oursJobsPerS'] - 1e6 / figures['worker.rawJobsPerS'])} µs) disappears.`,
          ]
        : []),
    ],
  };
}

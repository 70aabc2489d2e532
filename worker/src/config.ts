import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  baseEnv,
  ConfigError,
  defaultProductionRules,
  defineConfig,
  type LoadConfigOptions,
  requiredInProduction,
} from '@saas/shared/config';
import { dbEnv } from '@saas/shared/db';
import { healthEnv } from '@saas/shared/health';
import { lifecycleEnv } from '@saas/shared/lifecycle';
import { loggerEnv } from '@saas/shared/logger';
import { observabilityEnv } from '@saas/shared/observability';
import { tracingEnv } from '@saas/shared/tracing';
import { workerDefaults } from '@saas/shared/queue';
import { redisEnv } from '@saas/shared/redis';
import { storageEnv } from '@saas/shared/storage';

const list = (s: string): string[] =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

const ms = (min: number) => z.coerce.number().int().min(min);

export const workerEnv = {
  HOST: z.string().min(1).default('127.0.0.1').meta({
    description:
      'Interface the health/metrics server binds. Containers and Railway need 0.0.0.0 (or :: for IPv6).',
  }),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(4001)
    .meta({ description: 'Port of the health/metrics server (Railway sets PORT; it wins).' }),
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(workerDefaults.concurrency)
    .meta({
      description:
        'process-upload jobs run at once by this process. Each holds a database connection while it writes: keep it at or below DATABASE_POOL_MAX.',
    }),
  WORKER_DRAIN_TIMEOUT_MS: ms(0).default(25_000).meta({
    description:
      'After SIGTERM, how long active jobs may run to completion. Past it the worker stops waiting and exits; unfinished jobs become stalled and another worker runs them again. Must be below SHUTDOWN_TIMEOUT_MS and the platform’s drain time.',
  }),
  WORKER_LOCK_DURATION_MS: ms(1000).default(workerDefaults.lockDuration).meta({
    description:
      'BullMQ job lock; renewed every half of it while a job runs. After a crash a job waits this long before another worker may take it.',
  }),
  WORKER_STALLED_INTERVAL_MS: ms(500).default(workerDefaults.stalledInterval).meta({
    description:
      'How often this worker looks for jobs whose lock expired (stalled jobs) and requeues them.',
  }),
  WORKER_MAX_STALLED_COUNT: z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .default(workerDefaults.maxStalledCount)
    .meta({
      description:
        'How many times a job may stall (its worker died or was force-stopped) and still run again; one more stall fails it for good.',
    }),
  UPLOAD_ALLOWED_TYPES: z
    .string()
    .meta({
      description:
        'Comma-separated media types an upload may be (same variable as the API’s): the sniffed type must be one of them.',
    })
    .default('image/png,image/jpeg,image/gif,image/webp,application/pdf')
    .transform((s) => list(s).map((t) => t.toLowerCase()))
    .refine(
      (types) => types.length > 0 && types.every((t) => /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(t)),
      'a list of media types',
    ),
  CLEANUP_EVERY_MS: ms(1000)
    .default(15 * 60_000)
    .meta({
      description:
        'Interval of the housekeeping job schedulers: cleanup-uploads (removes uploads left pending past their expiry) and reconcile-uploads (settles uploads stuck in uploaded). One job of each per interval for the whole fleet.',
    }),
  // 15 min: past the whole life of a process-upload job that is not waiting in a backlog.
  // defaultJobOptions give 5 attempts with backoff 2+4+8+16 s (+20 % jitter: ≤ 36 s), plus five
  // runs (seconds each; up to a minute for a 1 GiB object over a slow link), plus up to
  // WORKER_MAX_STALLED_COUNT (2) stall recoveries of lock + stalled interval (≤ 1 min each):
  // under 10 min at worst. The age only keeps the sweep off rows whose job is settling right
  // now (the API's mark-then-enqueue window, the give-up hook's write); a job still waiting,
  // delayed or active is left alone at any age, so a longer value only delays the repair.
  UPLOAD_STUCK_AFTER_MS: ms(60_000)
    .default(15 * 60_000)
    .meta({
      description:
        'An upload still `uploaded` and unchanged this long is checked by reconcile-uploads: marked failed if its job gave up (the give-up hook could not write it), processed again if its job is gone. Keep it above the whole retry schedule of process-upload (under 10 min at worst); jobs still queued or running are never touched at any age.',
    }),
  // The lifecycle fragment's variable with a default that fits the drain budget above.
  SHUTDOWN_TIMEOUT_MS: ms(100).default(30_000).meta({
    description:
      'Hard limit for graceful shutdown after SIGTERM (drain included); past it the process exits 1 naming the step that hung. Keep it below the platform’s drain time (Railway draining seconds, compose stop_grace_period).',
  }),
};

export const workerConfig = defineConfig({
  shape: {
    ...baseEnv,
    ...loggerEnv,
    ...observabilityEnv,
    ...tracingEnv,
    ...dbEnv,
    ...redisEnv,
    ...storageEnv,
    ...healthEnv,
    ...lifecycleEnv,
    ...workerEnv,
  },
  // /metrics and the full health report are public without the token.
  productionRules: [...defaultProductionRules, requiredInProduction(['METRICS_TOKEN'])],
});

/** The env schema of the worker process (docs/env.md and .env.example are generated from it). */
export const workerEnvSchema = workerConfig.schema;

export type WorkerEnv = z.output<typeof workerEnvSchema>;

/** The parsed env plus the values derived from it, resolved once at start. */
export interface WorkerConfig {
  env: Readonly<WorkerEnv>;
  version: string;
}

/**
 * Loads and validates the worker's env. Also refuses a drain budget that does not fit in the
 * shutdown limit: the hard timeout would then kill the drain it is meant to bound.
 */
export function loadWorkerConfig(
  options?: Omit<LoadConfigOptions<WorkerEnv>, 'productionRules'>,
): WorkerConfig {
  const env = workerConfig.load(options);
  if (env.WORKER_DRAIN_TIMEOUT_MS >= env.SHUTDOWN_TIMEOUT_MS) {
    throw new ConfigError('Invalid environment variables:', [
      `WORKER_DRAIN_TIMEOUT_MS (${env.WORKER_DRAIN_TIMEOUT_MS}) must be below SHUTDOWN_TIMEOUT_MS (${env.SHUTDOWN_TIMEOUT_MS}): closing connections and flushing logs need time after the drain`,
    ]);
  }
  return { env, version: env.SERVICE_VERSION ?? env.RAILWAY_GIT_COMMIT_SHA ?? packageVersion() };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}

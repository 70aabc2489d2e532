// Railway Infrastructure as Code: the whole Railway project (Redis, api, worker) in one file.
// Evaluated by the Railway CLI (`railway config plan` / `railway config apply`, CLI ≥ 5.42.1),
// typed by the `railway` package (railway/iac). Walkthrough: docs/deploy/railway.md.
// There is no railway.json: Railway deprecated Config as Code (railway.json / railway.toml)
// in favour of this file, and a service cannot be managed by both.
//
// Checked offline by `npm run validate:deploy`: type-checked against railway/iac, evaluated,
// and its graph passed to the SDK's validateGraph().
import { defineRailway, github, preserve, redis, service } from 'railway/iac';
import type { SourceConfig, VariableValue } from 'railway/iac';

// The shutdown budgets (ms, as the apps read them): the worker drains jobs for
// WORKER_DRAIN_TIMEOUT_MS inside SHUTDOWN_TIMEOUT_MS; Railway's draining time must exceed both.
const WORKER_DRAIN_TIMEOUT_MS = 25_000;
const WORKER_SHUTDOWN_TIMEOUT_MS = 30_000;
/** Railway's default draining time is 0 s (SIGKILL at once): always set it above the app's own limit. */
const WORKER_DRAINING_SECONDS = 45;
const API_SHUTDOWN_TIMEOUT_MS = 10_000;
const API_DRAINING_SECONDS = 15;

// The GitHub repository Railway builds from (owner/name), e.g.
//   RAILWAY_GITHUB_REPO=acme/saas-ops-starter railway config plan
// Unset: the services get no source and you deploy this directory with `railway up`.
const repo = process.env.RAILWAY_GITHUB_REPO;
const source: SourceConfig | undefined = repo
  ? github(repo, { branch: process.env.RAILWAY_GITHUB_BRANCH ?? 'main' })
  : undefined;

// Files whose change rebuilds a service (gitignore-style, from the repository root): its own
// workspace, the shared modules it compiles in, and the root build inputs.
const rootBuildInputs = [
  '/package.json',
  '/package-lock.json',
  '/turbo.json',
  '/tsconfig.base.json',
  '/.dockerignore',
];

export default defineRailway((ctx, project) => {
  const production = ctx.isEnvironment('production');

  const cache = redis('redis');

  // Required provider values and secrets are environment *shared variables*, set once in the
  // dashboard (Project → Settings → Shared Variables) and referenced here as ${{shared.NAME}}:
  // no value is in git, and `railway config apply` neither overwrites nor deletes them.
  const shared = (name: string): VariableValue => ctx.shared[name];
  // Optional ones are declared with preserve(): set them on a service when you want them
  // (Sentry, a metrics token, the supabase storage driver); apply keeps whatever is there.
  const optional = preserve();
  const common = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    // Listen on IPv6 too: Railway's private network and older environments are IPv6.
    HOST: '::',
    DATABASE_URL: shared('DATABASE_URL'),
    // ioredis connects with family 0 (IPv4 or IPv6), as Railway's private network needs.
    REDIS_URL: cache.env.REDIS_URL,
    // S3 adapter: Supabase Storage's S3 endpoint, AWS S3, R2 or MinIO.
    STORAGE_BUCKET: shared('STORAGE_BUCKET'),
    S3_ENDPOINT: shared('S3_ENDPOINT'),
    S3_REGION: shared('S3_REGION'),
    S3_ACCESS_KEY_ID: shared('S3_ACCESS_KEY_ID'),
    S3_SECRET_ACCESS_KEY: shared('S3_SECRET_ACCESS_KEY'),
    STORAGE_DRIVER: optional,
    SUPABASE_URL: optional,
    SUPABASE_SECRET_KEY: optional,
    // Deprecated alias of SUPABASE_SECRET_KEY: kept so an existing deploy keeps its value.
    SUPABASE_SERVICE_ROLE_KEY: optional,
    SENTRY_DSN: optional,
    SENTRY_ENVIRONMENT: ctx.environment ?? 'production',
    // Required in production: without it /metrics and the health details would be public.
    METRICS_TOKEN: shared('METRICS_TOKEN'),
  };

  const api = service('api', {
    source,
    build: {
      builder: 'DOCKERFILE',
      dockerfilePath: 'api/Dockerfile',
      watchPatterns: ['/api/**', '/shared/**', '/infra/supabase/migrations/**', ...rootBuildInputs],
    },
    // Runs once per deploy in its own container from the new image (WORKDIR /app/api), before
    // any new replica starts; a non-zero exit blocks the deploy. Same runner as `npm run db:migrate`.
    preDeploy: 'node dist/migrate.js',
    // Deploy-time gate only (Railway probes the new deployment on PORT until 200): ready means
    // PostgreSQL and Redis answer and the schema is migrated.
    healthcheck: '/health/ready',
    healthcheckTimeout: 120,
    replicas: production ? 2 : 1,
    deploy: {
      restartPolicyType: 'ON_FAILURE',
      restartPolicyMaxRetries: 10,
      // The old deployment keeps serving while the new one takes over, then gets SIGTERM and
      // this long to finish in-flight requests (SHUTDOWN_TIMEOUT_MS is below it).
      overlapSeconds: 10,
      drainingSeconds: API_DRAINING_SECONDS,
      sleepApplication: false,
    },
    env: {
      ...common,
      SHUTDOWN_TIMEOUT_MS: String(API_SHUTDOWN_TIMEOUT_MS),
      // Railway's edge proxy is one hop: trust its X-Forwarded-For, nothing further.
      TRUST_PROXY_HOPS: '1',
      CORS_ORIGINS: shared('CORS_ORIGINS'),
      CORS_ORIGIN_PATTERN: optional,
      AUTH_JWT_SECRET: shared('AUTH_JWT_SECRET'),
    },
  });

  const worker = service('worker', {
    source,
    build: {
      builder: 'DOCKERFILE',
      dockerfilePath: 'worker/Dockerfile',
      watchPatterns: [
        '/worker/**',
        '/shared/**',
        '/infra/supabase/migrations/**',
        ...rootBuildInputs,
      ],
    },
    // The worker's own health server listens on PORT (Railway sets it).
    healthcheck: '/health/ready',
    healthcheckTimeout: 120,
    replicas: 1,
    deploy: {
      restartPolicyType: 'ON_FAILURE',
      restartPolicyMaxRetries: 10,
      // SIGTERM → stop fetching, let active jobs finish (25 s), close; SIGKILL only after 45 s.
      drainingSeconds: WORKER_DRAINING_SECONDS,
      // A sleeping worker would not poll its queues.
      sleepApplication: false,
    },
    env: {
      ...common,
      WORKER_DRAIN_TIMEOUT_MS: String(WORKER_DRAIN_TIMEOUT_MS),
      SHUTDOWN_TIMEOUT_MS: String(WORKER_SHUTDOWN_TIMEOUT_MS),
    },
  });

  return project('saas-ops-starter', { resources: [cache, api, worker] });
});

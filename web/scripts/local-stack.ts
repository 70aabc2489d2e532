// The whole local stack for browser checks (e2e tests, Lighthouse): a fresh migrated database,
// the API and the worker as real processes from their TypeScript sources, and the web's
// production build served by its standalone server (what web/Dockerfile runs). The local
// services (PostgreSQL, Redis, S3) must be up: `npm run services:up`.
// With `supabaseAuth`, a second build of the web in Supabase Auth mode (its own dist dir, its
// own port) is served too, and the API accepts that Supabase's tokens (SUPABASE_URL → JWKS).
// Everything started here is stopped by pid; the database and Redis keys are removed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createDb, runMigrations } from '@saas/shared/db';
import {
  createTestDatabase,
  freePort,
  jsonLineProblem,
  testServices,
  uniqueId,
  testS3Env,
} from '@saas/shared/test-support';
import { preflight } from '../../bench/lib/services.ts';
import { storageOriginsFrom } from '../src/lib/security/security-headers.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const webDir = join(repoRoot, 'web');
const nextBin = join(repoRoot, 'node_modules', 'next', 'dist', 'bin', 'next');

/** The local S3 server's CORS rule lets only this web origin PUT to signed URLs (scripts/local-s3). */
export const WEB_PORT = 3000;
/** Where the Supabase-mode build is served when `supabaseAuth` is given (E2E_SUPABASE_WEB_PORT). */
export const SUPABASE_WEB_PORT = 3100;
/** The dev-mode build's dist dir, and the Supabase-mode one's (next.config.ts: WEB_BUILD_DIST_DIR). */
const DEV_DIST_DIR = '.next';
const SUPABASE_DIST_DIR = '.next-supabase';

export interface LocalStack {
  webUrl: string;
  apiUrl: string;
  workerUrl: string;
  /** The Supabase-mode web, when `supabaseAuth` was given. */
  supabaseWebUrl: string | undefined;
  /** Pids of the processes started here (a test may stop the API to see the web cope). */
  pids: { api: number; worker: number; web: number; supabaseWeb: number | undefined };
  /** BullMQ key prefix of this stack's queues (QUEUE_PREFIX), for tests that add jobs. */
  queuePrefix: string;
  /** Output of every process, for a failing test's message. */
  logs(): string;
  /**
   * Lines of the api and the worker that are not one JSON object with unique keys (empty
   * when every line kept the logging contract).
   */
  logProblems(): string[];
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Progress lines (the build takes a minute on 2 cores). */
  log?: (line: string) => void;
  /** Rebuild the web even when the sources and env match the last build. */
  forceBuild?: boolean;
  /**
   * A Supabase (Auth) project URL and publishable key (in the e2e tests: the fake GoTrue server of
   * test/e2e/support/fake-supabase-auth.ts). Adds the Supabase-mode web build, served on
   * SUPABASE_WEB_PORT, and gives the API SUPABASE_URL (JWKS) and that origin in CORS_ORIGINS.
   */
  supabaseAuth?: { url: string; publishableKey: string };
  /**
   * A Sentry DSN built into the Supabase-mode web (NEXT_PUBLIC_SENTRY_DSN): that build is the
   * "everything configured" one, so the browser SDK is exercised too (in the e2e tests: a fake
   * Sentry ingest). The dev-mode build, the one Lighthouse measures, stays without Sentry.
   */
  sentryDsn?: string;
  /**
   * OTEL_EXPORTER_OTLP_ENDPOINT for the api and the worker (in the e2e tests: a fake OTLP
   * collector), so the browser's traceparent can be followed into their spans.
   */
  otlpEndpoint?: string;
  /** Serves the API's queue dashboard (/admin/queues) for this token (QUEUE_DASHBOARD_TOKEN). */
  queueDashboardToken?: string;
}

interface Proc {
  name: string;
  child: ChildProcess;
  out: string[];
  /** Lines breaking the JSON-lines contract (api and worker only; see jsonLogProblems). */
  logProblems: string[];
}

/** True when something listens on host:port (EADDRINUSE); an address the machine lacks (no IPv6) is not "in use". */
const portInUse = (port: number, host: string): Promise<boolean> =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    srv.listen(port, host, () => srv.close(() => resolve(false)));
  });

const portFree = async (port: number): Promise<boolean> =>
  !(await portInUse(port, '127.0.0.1')) && !(await portInUse(port, '::1'));

/** `wanted` when free, else any free port; an env var (E2E_API_PORT…) overrides both. */
export async function pickPort(wanted: number, envName: string): Promise<number> {
  const fromEnv = process.env[envName];
  if (fromEnv) return Number(fromEnv);
  return (await portFree(wanted)) ? wanted : freePort();
}

/** Every process spawned here and still running (the builds included), for stopEverything. */
const liveProcs = new Set<Proc>();
/** The stop of every stack started (or being started) and not stopped yet. */
const liveStacks = new Set<() => Promise<void>>();

/**
 * Stops every stack started here (processes by pid, then their data) and any process still
 * running (a `next build` under way): a runner's SIGTERM/SIGINT handler calls it, whatever
 * point the start had reached.
 */
export async function stopEverything(): Promise<void> {
  for (const stop of [...liveStacks].reverse()) await stop();
  await Promise.all([...liveProcs].map((p) => stopProc(p)));
}

function spawnProc(
  name: string,
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; jsonLogs?: boolean },
): Proc {
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const logProblems: string[] = [];
  // Per stream: a chunk may end inside a line.
  const keeper = () => {
    let rest = '';
    return (b: Buffer) => {
      const parts = (rest + b.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        if (!line) continue;
        out.push(line);
        const problem = opts.jsonLogs ? jsonLineProblem(line) : undefined;
        if (problem && logProblems.length < 20)
          logProblems.push(`${name}: ${problem}: ${line.slice(0, 300)}`);
      }
      if (out.length > 400) out.splice(0, out.length - 400);
    };
  };
  child.stdout?.on('data', keeper());
  child.stderr?.on('data', keeper());
  const proc = { name, child, out, logProblems };
  liveProcs.add(proc);
  child.once('exit', () => liveProcs.delete(proc));
  return proc;
}

async function waitFor(url: string, proc: Proc, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(
        `${proc.name} exited with code ${proc.child.exitCode} before ${url} answered:\n${proc.out.slice(-40).join('\n')}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${proc.name}: ${url} not ready within ${timeoutMs} ms (${last}):\n${proc.out.slice(-40).join('\n')}`,
  );
}

async function stopProc(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null || !p.child.pid) return;
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  process.kill(p.child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (p.child.pid && p.child.exitCode === null) process.kill(p.child.pid, 'SIGKILL');
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

// --- web build --------------------------------------------------------------------------

function listFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

/** What the build depends on: the web's sources and config, the shared code it imports, and the baked-in env. */
function buildFingerprint(env: Record<string, string>): string {
  const h = createHash('sha256');
  const files = [
    ...listFiles(join(webDir, 'src')),
    ...listFiles(join(webDir, 'public')),
    join(webDir, 'next.config.ts'),
    join(webDir, 'package.json'),
    join(webDir, 'tsconfig.json'),
    ...listFiles(join(repoRoot, 'shared', 'src', 'contracts')),
    ...listFiles(join(repoRoot, 'shared', 'src', 'logger')),
    join(repoRoot, 'package-lock.json'),
  ].sort();
  for (const f of files) h.update(f).update(readFileSync(f));
  h.update(JSON.stringify(env));
  return h.digest('hex');
}

/** The standalone server of a build: `<distDir>/standalone/web/server.js` (traced from the repo root). */
const standaloneDirOf = (distDir: string): string => join(webDir, distDir, 'standalone');

/**
 * `next build` with the given NEXT_PUBLIC_* values (inlined at build time) into web/<distDir>
 * (default .next), skipped when the last build there had the same inputs. Then copies static
 * assets next to the standalone server, as web/Dockerfile does.
 */
export async function buildWeb(
  publicEnv: Record<string, string>,
  opts: StartOptions = {},
  distDir: string = DEV_DIST_DIR,
): Promise<void> {
  const nextDir = join(webDir, distDir);
  const standaloneDir = standaloneDirOf(distDir);
  const label = distDir === DEV_DIST_DIR ? 'web' : `web (${distDir})`;
  const stampFile = join(nextDir, 'e2e-build-fingerprint');
  // The dist dir is an input too: next.config.ts reads it, and it names the output paths.
  const fingerprint = buildFingerprint({ ...publicEnv, WEB_BUILD_DIST_DIR: distDir });
  const server = join(standaloneDir, 'web', 'server.js');
  if (
    !opts.forceBuild &&
    existsSync(server) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === fingerprint
  ) {
    opts.log?.(`${label}: build is up to date (same sources and env), not rebuilding`);
    return;
  }
  opts.log?.(`${label}: next build (about a minute on 2 cores)…`);
  const t0 = Date.now();
  const p = spawnProc('next build', process.execPath, [nextBin, 'build'], {
    cwd: webDir,
    env: {
      ...process.env,
      ...publicEnv,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      // `npm test` type-checks in its own step (see next.config.ts).
      WEB_BUILD_SKIP_TYPECHECK: '1',
      WEB_BUILD_DIST_DIR: distDir,
    },
  });
  const code = await new Promise<number | null>((r) => p.child.once('exit', (c) => r(c)));
  if (code !== 0)
    throw new Error(`next build failed (exit ${code}):\n${p.out.slice(-60).join('\n')}`);
  // The standalone server serves <its dir>/<distDir>/static.
  cpSync(join(nextDir, 'static'), join(standaloneDir, 'web', distDir, 'static'), {
    recursive: true,
  });
  if (existsSync(join(webDir, 'public')))
    cpSync(join(webDir, 'public'), join(standaloneDir, 'web', 'public'), { recursive: true });
  writeFileSync(stampFile, fingerprint);
  opts.log?.(`${label}: built in ${Math.round((Date.now() - t0) / 1000)} s`);
}

/** Starts a build's standalone server on localhost:port. */
function startWebServer(name: string, distDir: string, port: number): Proc {
  return spawnProc(name, process.execPath, ['web/server.js'], {
    cwd: standaloneDirOf(distDir),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOSTNAME: 'localhost',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
}

// --- the stack --------------------------------------------------------------------------

export async function startLocalStack(opts: StartOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => {});
  // In seconds, by name: a missing service would otherwise surface as an ECONNREFUSED stack.
  await preflight();
  if (!(await portFree(WEB_PORT))) {
    throw new Error(
      `port ${WEB_PORT} is in use: the browser checks serve the web there (the local S3 server allows uploads only from http://localhost:${WEB_PORT}). Stop what runs on it (npm run dev?) and retry.`,
    );
  }
  const apiPort = await pickPort(4000, 'E2E_API_PORT');
  const workerPort = await pickPort(4001, 'E2E_WORKER_PORT');
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const webUrl = `http://localhost:${WEB_PORT}`;
  const supabase = opts.supabaseAuth;
  const supabaseWebPort = supabase
    ? await pickPort(SUPABASE_WEB_PORT, 'E2E_SUPABASE_WEB_PORT')
    : undefined;
  const supabaseWebUrl = supabaseWebPort ? `http://localhost:${supabaseWebPort}` : undefined;
  const procs: Proc[] = [];
  const prefix = uniqueId('e2e');
  const db = await createTestDatabase();
  log(`database ${db.name}, redis prefix ${prefix}`);

  const cleanupData = async () => {
    await db.drop().catch(() => {});
    const redis = new Redis(testServices.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      // Only this run's keys (queue and rate-limit prefixes), never a flush: the server is shared.
      for (const match of [`${prefix}:*`, `${prefix}-rl:*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await redis.unlink(...keys);
        } while (cursor !== '0');
      }
    } catch {
      // Best effort: a leftover prefixed key is harmless.
    } finally {
      redis.disconnect();
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const p of [...procs].reverse()) await stopProc(p);
      await cleanupData();
      liveStacks.delete(stop);
    })());
  liveStacks.add(stop);

  try {
    const sql = createDb({ url: db.url, max: 1 });
    try {
      const { applied } = await runMigrations(sql, {
        dir: join(repoRoot, 'infra', 'supabase', 'migrations'),
      });
      log(`migrations applied: ${applied.join(', ') || 'none'}`);
    } finally {
      await sql.end({ timeout: 5 });
    }

    const serviceEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      DATABASE_URL: db.url,
      REDIS_URL: testServices.redisUrl,
      QUEUE_PREFIX: prefix,
      ...testS3Env,
      ...(opts.otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: opts.otlpEndpoint } : {}),
    };
    // Each process from its TypeScript sources, with the Sentry preload its package.json uses.
    const nodeTs = (dir: string) => ({
      cwd: join(repoRoot, dir),
      args: ['--conditions=source', '--import', './src/instrument.ts', 'src/main.ts'],
    });

    await Promise.all([
      (async () => {
        const api = nodeTs('api');
        const apiProc = spawnProc('api', process.execPath, api.args, {
          cwd: api.cwd,
          jsonLogs: true,
          env: {
            ...serviceEnv,
            HOST: '127.0.0.1',
            PORT: String(apiPort),
            CORS_ORIGINS: [
              webUrl,
              `http://127.0.0.1:${WEB_PORT}`,
              ...(supabaseWebPort ? [supabaseWebUrl, `http://127.0.0.1:${supabaseWebPort}`] : []),
            ].join(','),
            RATE_LIMIT_PREFIX: `${prefix}-rl:`,
            // The browser checks sign in through the dev login: the explicit local opt-in.
            DEV_LOGIN_ENABLED: 'true',
            // Supabase's access tokens verified through its JWKS (dev login keeps working).
            ...(supabase ? { SUPABASE_URL: supabase.url } : {}),
            ...(opts.queueDashboardToken
              ? { QUEUE_DASHBOARD_ENABLED: 'true', QUEUE_DASHBOARD_TOKEN: opts.queueDashboardToken }
              : {}),
          },
        });
        procs.push(apiProc);
        const worker = nodeTs('worker');
        const workerProc = spawnProc('worker', process.execPath, worker.args, {
          cwd: worker.cwd,
          jsonLogs: true,
          env: { ...serviceEnv, HOST: '127.0.0.1', PORT: String(workerPort) },
        });
        procs.push(workerProc);
        await Promise.all([
          waitFor(`${apiUrl}/health/ready`, apiProc, 60_000),
          waitFor(`${workerUrl}/health/ready`, workerProc, 60_000),
        ]);
        log(`api ${apiUrl} and worker ${workerUrl} ready`);
      })(),
      (async () => {
        // One build after the other: two at once would fight over 2 cores.
        await buildWeb({ NEXT_PUBLIC_API_URL: apiUrl }, opts);
        if (supabase)
          await buildWeb(
            {
              NEXT_PUBLIC_API_URL: apiUrl,
              NEXT_PUBLIC_SUPABASE_URL: supabase.url,
              NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: supabase.publishableKey,
              // Uploads still go to the local s3rver, not to Supabase Storage (CSP connect-src).
              NEXT_PUBLIC_STORAGE_ORIGINS: storageOriginsFrom({}).join(','),
              ...(opts.sentryDsn ? { NEXT_PUBLIC_SENTRY_DSN: opts.sentryDsn } : {}),
            },
            opts,
            SUPABASE_DIST_DIR,
          );
      })(),
    ]);

    const webProc = startWebServer('web', DEV_DIST_DIR, WEB_PORT);
    procs.push(webProc);
    const supabaseWebProc =
      supabaseWebPort !== undefined
        ? startWebServer('web (supabase)', SUPABASE_DIST_DIR, supabaseWebPort)
        : undefined;
    if (supabaseWebProc) procs.push(supabaseWebProc);
    await Promise.all([
      waitFor(`${webUrl}/login`, webProc, 30_000),
      supabaseWebProc && waitFor(`${supabaseWebUrl}/login`, supabaseWebProc, 30_000),
    ]);
    log(`web ${webUrl} ready`);
    if (supabaseWebUrl) log(`web in Supabase Auth mode ${supabaseWebUrl} ready`);
  } catch (err) {
    await stop();
    throw err;
  }

  const pid = (name: string): number => procs.find((p) => p.name === name)?.child.pid ?? -1;
  return {
    webUrl,
    apiUrl,
    workerUrl,
    supabaseWebUrl,
    pids: {
      api: pid('api'),
      worker: pid('worker'),
      web: pid('web'),
      supabaseWeb: supabaseWebPort !== undefined ? pid('web (supabase)') : undefined,
    },
    queuePrefix: prefix,
    logs: () => procs.map((p) => `--- ${p.name}\n${p.out.join('\n')}`).join('\n'),
    logProblems: () => procs.flatMap((p) => p.logProblems),
    stop,
  };
}

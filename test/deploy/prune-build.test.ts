// The Docker build recipe, proved without a Docker engine: for the api and the worker, the
// same steps as their Dockerfiles — `turbo prune <pkg> --docker`, lockfile-exact `npm ci`,
// `turbo run build`, `npm ci --omit=dev`, then dist/ + migrations copied beside the
// production node_modules — run in a temp dir. The pruned output is started as the image
// starts it (`node --import ./dist/instrument.js dist/main.js`, NODE_ENV=production, no
// .env, no TypeScript sources, no dev dependencies) against the local services, must answer
// 200 on /health/live, and must exit 0 on SIGTERM.
//
// Slow by nature (two installs per image, about a minute each here; npm's cache is reused
// with --prefer-offline): every step has a time limit and the whole file one budget.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { assertMigrated, createDb } from '@saas/shared/db';
import {
  createTestDatabase,
  freePort,
  testServices,
  uniqueId,
  type TestDatabase,
} from '@saas/shared/test-support';
import { repoRoot } from './deploy-fixture.ts';

const STEP_TIMEOUT_MS = 5 * 60_000;
const work = mkdtempSync(join(tmpdir(), 'prune-build-'));
const turbo = join(repoRoot, 'node_modules/.bin/turbo');
const quietEnv = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

function step(what: string, cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, {
    cwd,
    env: quietEnv,
    encoding: 'utf8',
    timeout: STEP_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(
      `${what} failed (exit ${String(r.status)}${r.error ? `, ${r.error.message}` : ''}) in ${cwd}:\n${out}`,
    );
  }
}

/** The Dockerfile's stages, in a temp dir. Returns the runtime dir (the image's /app). */
function buildImage(pkg: string, app: string): string {
  const dir = join(work, app);
  const out = join(dir, 'out');
  const build = join(dir, 'build');
  const runtime = join(dir, 'runtime');
  // prune stage
  step(`turbo prune ${pkg}`, turbo, ['prune', pkg, '--docker', `--out-dir=${out}`], repoRoot);
  // build stage
  cpSync(join(out, 'json'), build, { recursive: true });
  step('npm ci (build)', 'npm', ['ci', '--ignore-scripts', '--prefer-offline'], build);
  cpSync(join(out, 'full'), build, { recursive: true });
  cpSync(join(repoRoot, 'tsconfig.base.json'), join(build, 'tsconfig.base.json'));
  step(
    `turbo run build --filter=${pkg}`,
    join(build, 'node_modules/.bin/turbo'),
    ['run', 'build', `--filter=${pkg}`],
    build,
  );
  // prod-deps stage
  cpSync(join(out, 'json'), runtime, { recursive: true });
  step(
    'npm ci --omit=dev',
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline'],
    runtime,
  );
  // runtime stage
  cpSync(join(build, 'shared/dist'), join(runtime, 'shared/dist'), { recursive: true });
  cpSync(join(build, app, 'dist'), join(runtime, app, 'dist'), { recursive: true });
  mkdirSync(join(runtime, 'infra/supabase'), { recursive: true });
  cpSync(join(repoRoot, 'infra/supabase/migrations'), join(runtime, 'infra/supabase/migrations'), {
    recursive: true,
  });
  rmSync(build, { recursive: true, force: true });
  return runtime;
}

interface Started {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

function start(runtime: string, app: string, env: Record<string, string>): Started {
  // The image's CMD, from its WORKDIR, with only the variables a platform would set.
  const child = spawn(process.execPath, ['--import', './dist/instrument.js', 'dist/main.js'], {
    cwd: join(runtime, app),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => output.push(b.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output, exited };
}

async function waitForLive(url: string, proc: Started, timeoutMs = 60_000): Promise<number> {
  let exitedEarly = false;
  void proc.exited.then(() => {
    exitedEarly = true;
  });
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !exitedEarly) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return 200;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${url} did not answer 200 within ${timeoutMs} ms${exitedEarly ? ' (the process exited)' : ''}:\n${proc.output.join('').slice(-3000)}`,
  );
}

let db: TestDatabase;
const runtimes: Record<string, string> = {};
const running: Started[] = [];

let migrate: { code: number | null; output: string };

beforeAll(async () => {
  db = await createTestDatabase();
  runtimes.api = buildImage('@saas/api', 'api');
  // The pre-deploy command (Railway) / one-off compose service, as the image runs it.
  const r = spawnSync(process.execPath, ['dist/migrate.js'], {
    cwd: join(runtimes.api, 'api'),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  migrate = { code: r.status, output: `${r.stdout}${r.stderr}` };
  runtimes.worker = buildImage('@saas/worker', 'worker');
}, 15 * 60_000);

afterAll(async () => {
  for (const p of running)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(running.map((p) => p.exited));
  await db?.drop();
  rmSync(work, { recursive: true, force: true });
});

const platformEnv = async (): Promise<Record<string, string>> => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(await freePort()),
  LOG_LEVEL: 'info',
  DATABASE_URL: db.url,
  REDIS_URL: testServices.redisUrl,
  QUEUE_PREFIX: uniqueId('prune'),
  STORAGE_DRIVER: 's3',
  STORAGE_BUCKET: testServices.s3.bucket,
  S3_ENDPOINT: testServices.s3.endpoint,
  S3_REGION: testServices.s3.region,
  // Production refuses the local server's default keys; these runs never touch objects.
  S3_ACCESS_KEY_ID: 'prune-build-test',
  S3_SECRET_ACCESS_KEY: randomBytes(24).toString('base64url'),
  // Required in production (the /metrics and health-details token).
  METRICS_TOKEN: randomBytes(24).toString('base64url'),
});

describe('pruned production output (the Dockerfiles’ recipe)', () => {
  test('api: the pre-deploy migration (node dist/migrate.js) runs from the image layout and applies the migrations', async () => {
    expect({
      code: migrate.code,
      output: migrate.code === 0 ? '' : migrate.output.slice(-2000),
    }).toEqual({ code: 0, output: '' });
    const sql = createDb({ url: db.url, max: 1 });
    try {
      const status = await assertMigrated(sql, {
        dir: join(repoRoot, 'infra/supabase/migrations'),
      });
      expect(status.applied.length).toBeGreaterThan(0);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  test.each([
    [
      'api',
      {
        AUTH_JWT_SECRET: randomBytes(36).toString('base64url'),
        CORS_ORIGINS: 'http://localhost:3000',
        RATE_LIMIT_PREFIX: `${uniqueId('rl')}:`,
      },
    ],
    ['worker', {}],
  ] as [string, Record<string, string>][])(
    '%s: installs lockfile-exact, builds, starts without dev dependencies, answers /health/live and exits 0 on SIGTERM',
    async (app, extra) => {
      const runtime = runtimes[app]!;
      // Only production dependencies and compiled output made it into the runtime.
      // (Not typescript: bull-board's valibot declares it an optional peer, so npm keeps it in the
      // api's production tree — 23 MB we would rather not ship; noted in api/README.md.)
      for (const devOnly of ['jest', 'eslint', '@swc/core', 'prettier', 'turbo'])
        expect(existsSync(join(runtime, 'node_modules', devOnly))).toBe(false);
      expect(existsSync(join(runtime, app, 'src'))).toBe(false);
      expect(existsSync(join(runtime, app, 'dist/main.js'))).toBe(true);

      const env = { ...(await platformEnv()), ...extra };
      const proc = start(runtime, app, env);
      running.push(proc);
      expect(await waitForLive(`http://127.0.0.1:${env.PORT}/health/live`, proc)).toBe(200);

      proc.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        proc.exited,
        new Promise<'hung'>((r) => {
          timer = setTimeout(() => r('hung'), 45_000);
        }),
      ]).finally(() => clearTimeout(timer));
      expect({ code, output: code === 0 ? '' : proc.output.join('').slice(-2000) }).toEqual({
        code: 0,
        output: '',
      });
    },
    120_000,
  );
});

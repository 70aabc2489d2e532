// `npm run test:e2e`: one self-contained command. Starts the stack (fresh migrated database,
// api, worker, the web's production build; see web/scripts/local-stack.ts), runs the browser
// tests in Debian's Chromium, stops every process it started by pid, removes its data, and
// exits with Jest's code. Screenshots: artifacts/screenshots/.
// Supabase Auth mode: a fake Supabase Auth (GoTrue) server runs in this process
// (support/fake-supabase-auth.ts); the stack adds a second web build in Supabase mode pointed
// at it, and the API verifies its tokens through its JWKS. That build also has a Sentry DSN,
// pointing at a FAKE Sentry ingest server run here too (@saas/shared/observability), so the
// browser SDK, its scrubbing and the CSP are exercised with Sentry on.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startFakeSentryIngest, type FakeSentryIngest } from '@saas/shared/observability';
import { startFakeOtlpCollector, type FakeOtlpCollector } from '@saas/shared/tracing';
import { exitOnStopSignals } from '@saas/shared/test-support';
import { describeFailure } from '../../bench/lib/services.ts';
import {
  pickPort,
  startLocalStack,
  stopEverything,
  type LocalStack,
} from '../../web/scripts/local-stack.ts';
import { startFakeSupabaseAuth, type FakeSupabaseAuth } from './support/fake-supabase-auth.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const t0 = Date.now();
const log = (line: string) =>
  process.stderr.write(`[e2e ${Math.round((Date.now() - t0) / 1000)}s] ${line}\n`);

let stack: LocalStack | undefined;
let fakeAuth: FakeSupabaseAuth | undefined;
let fakeSentry: FakeSentryIngest | undefined;
let fakeOtlp: FakeOtlpCollector | undefined;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  if (stack) {
    log('stopping the stack');
    await stack.stop();
  }
  await fakeAuth?.stop();
  await fakeSentry?.close();
  await fakeOtlp?.close();
};
let jestProc: ChildProcess | undefined;
// SIGTERM/SIGINT: everything started so far (a stack still starting included) is stopped.
exitOnStopSignals(
  async () => {
    jestProc?.kill('SIGTERM');
    await stop();
    await stopEverything();
  },
  { log },
);

// The user the Supabase-mode tests sign in as (a fresh password each run).
const supabaseUser = {
  email: 'e2e-supabase@example.com',
  password: randomBytes(12).toString('hex'),
};

// The queue dashboard's password for this run (the e2e signs in to it as an operator).
const queueDashboardToken = randomBytes(24).toString('base64url');

let code = 1;
try {
  // A stable port (54321, Supabase's local API port): its URL is built into the Supabase-mode
  // web, so a new port would mean a new build.
  fakeAuth = await startFakeSupabaseAuth({
    port: await pickPort(54321, 'E2E_FAKE_SUPABASE_PORT'),
    users: [supabaseUser],
  });
  log(`fake Supabase Auth (GoTrue) ${fakeAuth.url}`);
  // Stable for the same reason: the DSN is built into the web.
  fakeSentry = await startFakeSentryIngest({
    port: await pickPort(54330, 'E2E_FAKE_SENTRY_PORT'),
  });
  log(`fake Sentry ingest ${fakeSentry.dsn}`);
  // The api and worker export their spans here (tracing on, as in production with a backend):
  // the browser tests follow the browser's traceparent into the API's spans.
  fakeOtlp = await startFakeOtlpCollector();
  log(`fake OTLP collector ${fakeOtlp.endpoint}`);
  stack = await startLocalStack({
    log,
    forceBuild: process.argv.includes('--rebuild'),
    supabaseAuth: { url: fakeAuth.url, publishableKey: fakeAuth.anonKey },
    sentryDsn: fakeSentry.dsn,
    otlpEndpoint: fakeOtlp.endpoint,
    queueDashboardToken,
  });
  // GoTrue's SITE_URL: magic links may return to the Supabase-mode web.
  if (stack.supabaseWebUrl) fakeAuth.setSiteUrl(stack.supabaseWebUrl);
  const jest = (jestProc = spawn(
    process.execPath,
    [
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--config',
      'test/e2e/jest.config.js',
      ...process.argv.slice(2).filter((a) => a !== '--rebuild'),
    ],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        E2E_WEB_URL: stack.webUrl,
        E2E_API_URL: stack.apiUrl,
        E2E_API_PID: String(stack.pids.api),
        E2E_SUPABASE_WEB_URL: stack.supabaseWebUrl,
        E2E_FAKE_SUPABASE_URL: fakeAuth.url,
        E2E_FAKE_SUPABASE_ANON_KEY: fakeAuth.anonKey,
        E2E_SUPABASE_EMAIL: supabaseUser.email,
        E2E_SUPABASE_PASSWORD: supabaseUser.password,
        E2E_FAKE_SENTRY_URL: new URL(fakeSentry.dsn).origin,
        E2E_FAKE_OTLP_URL: fakeOtlp.endpoint,
        E2E_QUEUE_DASHBOARD_TOKEN: queueDashboardToken,
        E2E_QUEUE_PREFIX: stack.queuePrefix,
        NODE_NO_WARNINGS: '1',
      },
    },
  ));
  code = await new Promise<number>((resolve) => jest.once('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) log(`browser tests failed; process output:\n${stack.logs()}`);
  // The logging contract, checked on everything the api and the worker wrote during the run.
  const problems = stack.logProblems();
  if (problems.length > 0) {
    log(`log lines that are not one JSON object with unique keys:\n  ${problems.join('\n  ')}`);
    code = code || 1;
  } else log('every api and worker log line: one JSON object, unique keys');
} catch (err) {
  log(describeFailure(err));
} finally {
  await stop();
}
process.exit(code);

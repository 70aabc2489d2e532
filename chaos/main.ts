// npm run test:chaos — faults injected into real processes under load: 2 API processes and 3
// workers on a private Redis, a private PostgreSQL cluster and the shared S3 server, with a
// steady autocannon load and a steady stream of real uploads. Prints a summary table
// (scenario, expected, observed) and exits non-zero on any loss, duplicate, leak or unexpected
// 5xx. Every process it starts is stopped by pid before it exits.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exitOnStopSignals, jsonLogProblems, makePng } from '@saas/shared/test-support';
import { describeFailure, preflight } from '../bench/lib/services.ts';
import { closeContext, createContext, type ChaosContext } from './lib/context.ts';
import { selected } from './lib/only.ts';
import { killAll, REPO_ROOT, startApi, startWorker, started } from './lib/processes.ts';
import { elapsedS, say, sleep, startedAt } from './lib/progress.ts';
import { record, renderTable, rows } from './lib/results.ts';
import type { Run } from './lib/run.ts';
import { startSteadyLoad } from './lib/steady-load.ts';
import { startUploadStream, type Observation } from './lib/upload-stream.ts';
import { apiSigterm } from './scenarios/api-sigterm.ts';
import { authOutage } from './scenarios/auth-outage.ts';
import { finalCheck } from './scenarios/final-check.ts';
import { checkPiiLeaks, sendPii } from './scenarios/pii.ts';
import { poisonJob } from './scenarios/poison-job.ts';
import { postgresRestart } from './scenarios/postgres-restart.ts';
import { redisOutage } from './scenarios/redis-outage.ts';
import { sharedRateLimit } from './scenarios/shared-rate-limit.ts';
import { slowDependencies } from './scenarios/slow-dependencies.ts';
import { storageOutage } from './scenarios/storage-outage.ts';
import { reportKilledJobs, workerKill } from './scenarios/worker-kill.ts';

/** Past this the suite gives up, stops everything and fails. */
const WATCHDOG_MS = 9 * 60_000;

async function suite(ctx: ChaosContext): Promise<void> {
  say('starting 2 API processes (fail-open, fail-closed) and 3 workers');
  const [apiOpen, apiClosed, ...workers] = await Promise.all([
    startApi('api-1', ctx.apiEnv(true)),
    startApi('api-2', ctx.apiEnv(false)),
    startWorker('worker-1', ctx.workerEnv()),
    startWorker('worker-2', ctx.workerEnv()),
    startWorker('worker-3', ctx.workerEnv()),
  ]);
  const apis = [apiOpen!, apiClosed!];
  const observations: Observation[] = [];
  const stopping = new Set<string>();
  const client = {
    targets: () => apis.filter((a) => a.running() && !stopping.has(a.name)),
    tokenFor: (user: string) => ctx.tokenFor(user),
    observations,
  };
  // Incompressible PNGs of ~120 KB: about a second per job through the workers' throttled reads.
  const bodies = [0, 1, 2, 3].map(() => makePng(200, 200, { noise: true }));
  const token = await ctx.tokenFor(randomUUID());
  const loadHeaders = { authorization: `Bearer ${token}` };
  const run: Run = {
    t0: startedAt,
    ctx,
    apis,
    workers,
    client,
    stream: startUploadStream(client, { bodies, intervalMs: 400, maxInFlight: 12 }),
    loads: apis.map((a) =>
      startSteadyLoad({
        target: a.name,
        url: `${a.base}/v1/me`,
        headers: loadHeaders,
        ratePerS: 40,
      }),
    ),
    windows: [],
    stopping,
    forcedJobIds: new Set(),
  };
  say('load and upload stream running; warming up for 5 s');
  await sleep(5000);

  if (selected('shared-rate-limit')) await sharedRateLimit(run);
  const pii = selected('pii') ? await sendPii(run) : undefined;
  const killed = selected('worker-kill') ? await workerKill(run) : undefined;
  if (selected('redis-outage')) await redisOutage(run);
  if (selected('storage-outage')) await storageOutage(run);
  if (selected('poison-job')) await poisonJob(run);
  if (selected('auth-outage')) await authOutage(run);
  if (selected('slow-dependencies')) await slowDependencies(run);
  if (selected('postgres-restart')) await postgresRestart(run);
  if (selected('api-sigterm')) await apiSigterm(run);
  // The stream keeps going on the remaining API for a few seconds after the last fault.
  await sleep(3000);
  await finalCheck(run);
  if (killed)
    reportKilledJobs(
      run,
      killed,
      started.filter((p) => p.kind === 'worker'),
    );
  if (pii) checkPiiLeaks(run, pii, started);
  checkLogLines();
}

/** The logging contract on every line every process wrote: one JSON object, unique keys. */
function checkLogLines(): void {
  const problems = jsonLogProblems(started.map((p) => ({ name: p.name, lines: p.proc.lines })));
  record({
    scenario: 'log lines',
    expected: 'every line one JSON object with unique keys',
    observed:
      problems.length === 0
        ? `${started.reduce((n, p) => n + p.proc.lines.length, 0)} lines, all fine`
        : `${problems.length}+ bad: ${problems[0]!}`,
    ok: problems.length === 0,
  });
  for (const p of problems) say(`log line: ${p}`);
}

/** Every process's output and the Sentry envelopes, for whoever reads a failure (and CI artifacts). */
async function saveOutput(ctx: ChaosContext | undefined): Promise<void> {
  const dir = join(REPO_ROOT, 'artifacts', 'chaos');
  await mkdir(dir, { recursive: true });
  for (const p of started)
    await writeFile(join(dir, `${p.name}.log`), `${p.proc.lines.join('\n')}\n`);
  if (ctx)
    await writeFile(
      join(dir, 'sentry-envelopes.txt'),
      ctx.sentry.envelopes.map((e) => e.raw).join('\n---\n'),
    );
  say(`process output saved in ${dir}`);
}

async function main(): Promise<number> {
  const t0 = Date.now();
  let ctx: ChaosContext | undefined;
  let cleaning: Promise<void> | undefined;
  // One cleanup, however many ask (the suite's end, the watchdog, a signal): all await it.
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await killAll();
      await saveOutput(ctx).catch((err: unknown) => say(`could not save the logs: ${String(err)}`));
      await closeContext();
    })());
  const watchdog = setTimeout(() => {
    say(`the suite ran past ${WATCHDOG_MS / 60_000} min: stopping everything`);
    record({
      scenario: 'suite',
      expected: `done within ${WATCHDOG_MS / 60_000} min`,
      observed: 'watchdog fired',
      ok: false,
    });
    process.stdout.write(`\n${renderTable(rows)}\n`);
    void cleanup().finally(() => process.exit(1));
  }, WATCHDOG_MS);
  // SIGTERM/SIGINT (CI cancelling, Ctrl-C): the same cleanup, then exit 143/130.
  exitOnStopSignals(
    async () => {
      clearTimeout(watchdog);
      await cleanup();
    },
    { log: say },
  );
  try {
    // Seconds, not minutes: the shared S3 server is the one service the suite does not start.
    await preflight({ postgres: false, redis: false, s3: true });
    ctx = await createContext();
    await suite(ctx);
  } catch (err) {
    const message = describeFailure(err);
    say(`suite error: ${message}`);
    record({
      scenario: 'suite',
      expected: 'runs to the end',
      observed: message.split('\n')[0]!,
      ok: false,
    });
  } finally {
    clearTimeout(watchdog);
    say('stopping every process and the private services');
    await cleanup();
  }
  process.stdout.write(`\n${renderTable(rows)}\n`);
  const failed = rows.filter((r) => !r.ok).length;
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  process.stdout.write(
    `\n${rows.length - failed} passed, ${failed} failed — ${seconds} s (${elapsedS().toFixed(0)} s including start-up)\n`,
  );
  return failed === 0 && rows.length > 0 ? 0 : 1;
}

const exitCode = await main();
process.exitCode = exitCode;
// Everything the suite started is stopped; idle keep-alive sockets and client reconnect timers
// need not hold the exit for their own timeouts.
setTimeout(() => process.exit(exitCode), 2000).unref();

// npm run bench [-- --json FILE] [-- --quick] [-- --only api,worker]
// Every scenario measures a baseline and ours in the same run, alternating, over several
// rounds, and reports medians and ratios. Loopback only; servers under test run in their own
// processes and are stopped by pid. See docs/benchmarks.md for the method and the figures.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { exitOnStopSignals, killAllSpawned } from '@saas/shared/test-support';
import { parseArgs, type ScenarioId } from './lib/args.ts';
import { REPO_ROOT } from './lib/child-process.ts';
import { progress } from './lib/progress.ts';
import { renderPage, updateDocs, type RunInfo } from './lib/report.ts';
import { preflight } from './lib/services.ts';
import { goalMet, type BenchOptions, type ScenarioReport } from './lib/types.ts';
import { apiHttpScenario } from './scenarios/api-http.ts';
import { healthScenario } from './scenarios/health-hanging.ts';
import { idempotencyScenario } from './scenarios/idempotency.ts';
import { loggerScenario } from './scenarios/logger.ts';
import { workerRssScenario } from './scenarios/worker-rss.ts';
import { startupScenario } from './scenarios/startup.ts';
import { workerThroughputScenario } from './scenarios/worker-throughput.ts';
import { tracingScenario } from './scenarios/tracing.ts';

const RUNNERS: Record<ScenarioId, (o: BenchOptions) => Promise<ScenarioReport>> = {
  api: apiHttpScenario,
  idempotency: idempotencyScenario,
  worker: workerThroughputScenario,
  logger: loggerScenario,
  rss: workerRssScenario,
  health: healthScenario,
  startup: startupScenario,
  tracing: tracingScenario,
};

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const { options, only } = args;
  const info: RunInfo = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    loadBefore: loadavg().map((l) => Math.round(l * 100) / 100),
    loadAfter: [],
    quick: options.quick,
    durationS: 0,
  };
  progress(
    `${options.quick ? 'quick smoke run' : 'full run'}: ${only.join(', ')} — Node ${info.node}, ${info.cpus} CPUs, load ${info.loadBefore.join(' ')}`,
  );
  // SIGTERM/SIGINT: every child a scenario started is stopped (by pid) before the exit.
  exitOnStopSignals(killAllSpawned, { log: progress });
  try {
    await preflight();
  } catch (err) {
    progress((err as Error).message);
    return 1;
  }

  const started = Date.now();
  const reports: ScenarioReport[] = [];
  const failures: string[] = [];
  for (const id of only) {
    progress(`== ${id}`);
    try {
      reports.push(await RUNNERS[id](options));
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push(`${id}: ${message}`);
      progress(`${id} FAILED: ${message}`);
    }
  }
  info.durationS = Math.round((Date.now() - started) / 1000);
  info.loadAfter = loadavg().map((l) => Math.round(l * 100) / 100);

  const figures = Object.assign({}, ...reports.map((r) => r.figures)) as Record<string, number>;
  const goals = reports.flatMap((r) => r.goals);
  process.stdout.write('\n');
  for (const g of goals) {
    process.stdout.write(
      `${goalMet(g) ? 'MET   ' : 'MISSED'} ${g.key.padEnd(26)} ${String(g.observed).padStart(8)}  (goal ${g.op} ${g.target})\n`,
    );
  }
  process.stdout.write(`\ntook ${info.durationS} s\n`);

  if (args.jsonFile) {
    const file = resolve(process.cwd(), args.jsonFile);
    await mkdir(dirname(file), { recursive: true });
    const json = {
      ...info,
      figures,
      goals: goals.map((g) => ({ ...g, met: goalMet(g) })),
      failures,
    };
    await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
    progress(`figures written to ${file}`);
  }
  if (args.docsFile && failures.length === 0) {
    const file = resolve(REPO_ROOT, args.docsFile);
    await updateDocs(file, renderPage(info, options, reports));
    progress(`page written to ${file}`);
  } else if (args.docsFile) {
    progress(`page NOT written: ${failures.length} scenario(s) failed`);
  }
  return failures.length > 0 ? 1 : 0;
}

const exitCode = await main().catch((err: unknown) => {
  progress(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 1;
});
// The last line of defence: a child a failed scenario did not stop is stopped here, by pid.
await killAllSpawned();
process.exitCode = exitCode;
// Every child is stopped; idle keep-alive sockets need not hold the exit for their timeouts.
setTimeout(() => process.exit(exitCode), 2000).unref();

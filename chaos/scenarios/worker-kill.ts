import { activeJobs, type Run } from '../lib/run.ts';
import { startWorker, type ChaosProcess } from '../lib/processes.ts';
import { say, waitFor } from '../lib/progress.ts';
import { record } from '../lib/results.ts';

export interface WorkerKillOutcome {
  /** Jobs the SIGKILLed worker had running: another worker must finish them. */
  killedJobs: string[];
  killed: ChaosProcess;
}

/** A worker with at least one upload job running right now (waits for one). */
async function busyWorker(
  run: Run,
  exclude: ChaosProcess[] = [],
): Promise<{ w: ChaosProcess; jobs: string[] }> {
  return waitFor(
    'a worker with a job in progress',
    () => {
      for (const w of run.workers) {
        if (exclude.includes(w) || !w.running()) continue;
        const jobs = activeJobs(w);
        if (jobs.length > 0) return { w, jobs };
      }
      return undefined;
    },
    60_000,
    20,
  );
}

/**
 * SIGKILL one worker mid-job (its jobs stall and run again elsewhere once the lock expires)
 * and SIGTERM another mid-job (it drains: finishes what it runs, exits 0). Two fresh workers
 * take their place. "Every upload ends ready exactly once" is checked at the end of the suite.
 */
export async function workerKill(run: Run): Promise<WorkerKillOutcome> {
  const victim = await busyWorker(run);
  say(
    `workers: SIGKILL ${victim.w.name} (pid ${victim.w.pid}) with ${victim.jobs.length} job(s) running`,
  );
  victim.w.proc.signal('SIGKILL');
  await victim.w.proc.exited;

  const drained = await busyWorker(run, [victim.w]);
  say(
    `workers: SIGTERM ${drained.w.name} (pid ${drained.w.pid}) with ${drained.jobs.length} job(s) running`,
  );
  const t0 = Date.now();
  drained.w.proc.signal('SIGTERM');
  const exit = await Promise.race([
    drained.w.proc.exited,
    new Promise<{ code: null; signal: null; timeout: true }>((r) =>
      setTimeout(() => r({ code: null, signal: null, timeout: true }), 30_000),
    ),
  ]);
  const finishedThere = drained.jobs.filter((id) =>
    drained.w.logs().some((l) => l.jobId === id && l.msg === 'job completed'),
  );
  record({
    scenario: 'SIGTERM a worker mid-job',
    expected: 'its running jobs complete in that process; exit code 0 within the drain budget',
    observed: `${finishedThere.length}/${drained.jobs.length} running job(s) completed there; exit ${'timeout' in exit ? 'timed out' : `code ${exit.code}${exit.signal ? ` signal ${exit.signal}` : ''}`} after ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    ok: !('timeout' in exit) && exit.code === 0 && finishedThere.length === drained.jobs.length,
  });

  run.workers = run.workers.filter((w) => w !== victim.w && w !== drained.w);
  say('workers: starting two replacements');
  const fresh = await Promise.all([
    startWorker('worker-4', run.ctx.workerEnv()),
    startWorker('worker-5', run.ctx.workerEnv()),
  ]);
  run.workers.push(...fresh);
  return { killedJobs: victim.jobs, killed: victim.w };
}

/** After the run: who finished the SIGKILLed worker's jobs. */
export function reportKilledJobs(
  run: Run,
  outcome: WorkerKillOutcome,
  allWorkers: readonly ChaosProcess[],
): void {
  const completedElsewhere = outcome.killedJobs.filter((id) =>
    allWorkers.some(
      (w) =>
        w !== outcome.killed && w.logs().some((l) => l.jobId === id && l.msg === 'job completed'),
    ),
  );
  const stalledLines = allWorkers.flatMap((w) =>
    w
      .logs()
      .filter(
        (l) =>
          typeof l.msg === 'string' &&
          l.msg.startsWith('job stalled') &&
          outcome.killedJobs.includes(String(l.jobId)),
      ),
  ).length;
  record({
    scenario: 'SIGKILL a worker mid-job',
    expected: 'its running jobs stall, are requeued and completed by another worker',
    observed: `${completedElsewhere.length}/${outcome.killedJobs.length} completed by another worker (${stalledLines} stalled-job log line(s))`,
    ok: completedElsewhere.length === outcome.killedJobs.length,
  });
  void run;
}

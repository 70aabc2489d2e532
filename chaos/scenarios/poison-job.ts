import { randomUUID } from 'node:crypto';
import { makePng } from '@saas/shared/test-support';
import { workerDefaults } from '@saas/shared/queue';
import { complete, createAndPut } from '../lib/one-upload.ts';
import { startWorker, type ChaosProcess } from '../lib/processes.ts';
import { say, sleep, waitFor } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run } from '../lib/run.ts';

/** A job may stall this many times and run again; one more fails it (the suite's workers use the default). */
const MAX_STALLED = workerDefaults.maxStalledCount;

/**
 * A poison job: every worker that starts it dies mid-job (SIGKILL by pid, as the kernel's OOM
 * killer does to a process whose job blew its memory), and a supervisor starts a replacement
 * each time, as a platform restarts a crashed container.
 *
 * Why the harness kills instead of a real input: the worker streams objects in bounded memory
 * (64 KiB chunks, freed as hashed; read-buffer-release pins it), so no upload makes it allocate
 * without bound — and a "crash on this marker" switch would ship a crash path in the product,
 * however it is guarded. Killing by pid at the job's start is the fault the fleet must survive,
 * whatever the cause; nothing in the worker knows about it.
 *
 * Expected: the job runs 1 + maxStalledCount times (each kill is a stall, found by the stalled
 * check of a surviving worker), then BullMQ fails it for good: it sits in the failed set
 * ("job stalled more than allowable limit"), its row says `failed` with a reason the uploader
 * can read, it never starts again (no crash loop), and every other upload still ends ready
 * (the final check). The alert for it (JobsStalling) is proven by promtool
 * (infra/prometheus/tests/worker.test.yml) on the counts seen here.
 */
export async function poisonJob(run: Run): Promise<void> {
  const api = run.apis[0]!;
  const auth = { authorization: `Bearer ${await run.ctx.tokenFor(randomUUID())}` };
  // ~270 KB at the throttle's 150 KB/s: the job runs for about two seconds before it is done.
  const png = makePng(300, 300, { noise: true });
  const id = await createAndPut(api, auth, png, 'poison.png');
  run.forcedJobIds.add(id);

  const seen = new Map<ChaosProcess, number>();
  const kills: { worker: string; at: number }[] = [];
  let replacements = 0;
  let watching = true;
  const killer = (async () => {
    while (watching) {
      for (const w of [...run.workers]) {
        if (!w.running()) continue;
        const from = seen.get(w) ?? 0;
        const lines = w.proc.lines;
        seen.set(w, lines.length);
        const started = lines
          .slice(from)
          .some((l) => l.includes('"job started"') && l.includes(id));
        if (!started) continue;
        say(`poison: ${w.name} (pid ${w.pid}) started the poison job; SIGKILL (an OOM kill)`);
        w.proc.signal('SIGKILL');
        kills.push({ worker: w.name, at: Date.now() });
        run.workers = run.workers.filter((x) => x !== w);
        replacements += 1;
        // The supervisor's restart; the killer keeps watching the others meanwhile.
        void startWorker(`worker-p${replacements}`, run.ctx.workerEnv()).then((fresh) => {
          run.workers.push(fresh);
        });
      }
      await sleep(20);
    }
  })();

  say('poison: completing the poison upload');
  const t0 = Date.now();
  const done = await complete(api, auth, id);
  let row: { status: string; status_reason: string | null } | undefined;
  await waitFor(
    'the poison upload to be marked failed',
    async () => {
      [row] = await run.ctx.sql<{ status: string; status_reason: string | null }[]>`
        select status, status_reason from public.uploads where id = ${id}`;
      return row?.status === 'failed';
    },
    60_000,
    250,
  ).catch(() => {});
  const failedAt = Date.now();
  // No crash loop: nothing starts it again once it failed.
  await sleep(4000);
  watching = false;
  await killer;
  await waitFor(
    'the replacement workers to be ready',
    () => run.workers.length >= 3,
    60_000,
    200,
  ).catch(() => {});
  const job = await run.ctx.queue.getJob(id);
  const state = job ? await job.getState() : 'missing';
  const lateKills = kills.filter((k) => k.at > failedAt);

  record({
    scenario: 'Poison job (kills its worker every attempt)',
    expected: `complete 200; the job runs ${MAX_STALLED + 1} times (1 + maxStalledCount), each kill a stall; then it is in the failed set, its row failed with a reason, and it never starts again`,
    observed: `complete ${done.status}; ${kills.length} worker(s) killed (${kills.map((k) => k.worker).join(', ')}) over ${((failedAt - t0) / 1000).toFixed(0)} s; job ${state}${job?.failedReason ? ` ("${job.failedReason}")` : ''}; row ${row?.status} ("${row?.status_reason ?? ''}"); started again after: ${lateKills.length}`,
    ok:
      done.status === 200 &&
      kills.length === MAX_STALLED + 1 &&
      state === 'failed' &&
      row?.status === 'failed' &&
      (row.status_reason ?? '').length > 0 &&
      lateKills.length === 0,
  });
}

import type { Job } from 'bullmq';
import { say, waitFor } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run, Window } from '../lib/run.ts';

const FINAL = ['ready', 'rejected', 'failed'];

const countBy = (values: readonly string[]): string => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n} ${v}`).join(', ');
};

const allowed = (windows: readonly Window[], api: string, t: number, status: number): boolean =>
  windows.some(
    (w) =>
      (w.api === undefined || w.api === api) &&
      t >= w.from &&
      t <= w.to &&
      w.statuses.includes(status),
  );

/**
 * The end of the run, with every fault behind it: each upload the API accepted as complete
 * ends `ready`, exactly once (one uploaded→ready transition in the database); nothing is left
 * waiting, delayed or active in the queue, and the failed set holds only the forced failures;
 * no client saw an answer the faults do not explain.
 */
export async function finalCheck(run: Run): Promise<void> {
  say('final: stopping the upload stream and waiting for every completed upload to finish');
  await run.stream.stop();
  for (const l of run.loads) l.stop();
  const records = run.stream.records;
  const completed = records.filter((r) => r.completed && r.id).map((r) => r.id!);
  const statusOf = async (): Promise<Map<string, string>> => {
    const rows = await run.ctx.sql<{ id: string; status: string }[]>`
      select id, status from public.uploads where id = any(${completed}::uuid[])`;
    return new Map(rows.map((r) => [r.id, r.status]));
  };
  let statuses = await statusOf();
  try {
    await waitFor(
      'every completed upload to reach a final status',
      async () => {
        statuses = await statusOf();
        return completed.every((id) => FINAL.includes(statuses.get(id) ?? ''));
      },
      120_000,
      500,
    );
  } catch {
    // Reported below with the counts.
  }
  const ready = completed.filter((id) => statuses.get(id) === 'ready');
  const notReady = completed.filter((id) => statuses.get(id) !== 'ready');
  const transitions = await run.ctx.sql<{ upload_id: string; n: number }[]>`
    select upload_id, count(*)::int as n from chaos_transitions
    where new_status = 'ready' and upload_id = any(${completed}::uuid[]) group by upload_id`;
  const readyCount = new Map(transitions.map((t) => [t.upload_id, t.n]));
  const twice = completed.filter((id) => (readyCount.get(id) ?? 0) > 1);
  const gaveUp = records.filter((r) => !r.completed);
  record({
    scenario: 'Every upload ends ready exactly once',
    expected:
      'each upload the API accepted as complete is ready, with exactly one uploaded→ready transition; no client gave up',
    observed: `${records.length} uploads started, ${completed.length} completed: ${ready.length} ready, ${notReady.length} not${notReady.length ? ` (${countBy(notReady.map((id) => statuses.get(id) ?? 'missing'))})` : ''}; ${twice.length} made ready twice; ${gaveUp.length} gave up${gaveUp.length ? ` (${[...new Set(gaveUp.map((g) => g.failure))].join('; ')})` : ''}`,
    ok: notReady.length === 0 && twice.length === 0 && gaveUp.length === 0 && completed.length > 0,
  });

  const counts = await run.ctx.queue.getJobCounts(
    'active',
    'waiting',
    'delayed',
    'prioritized',
    'waiting-children',
    'failed',
    'completed',
  );
  const failed: Job[] = await run.ctx.queue.getFailed(0, 5000);
  const unexpectedFailed = failed.filter((j) => !j.id || !run.forcedJobIds.has(j.id));
  const left =
    (counts.active ?? 0) +
    (counts.waiting ?? 0) +
    (counts.delayed ?? 0) +
    (counts.prioritized ?? 0) +
    (counts['waiting-children'] ?? 0);
  record({
    scenario: 'No job lost or left behind',
    expected:
      'queue empty (0 active, waiting, delayed); the failed set holds only the forced PII failures',
    observed: `active ${counts.active}, waiting ${counts.waiting}, delayed ${counts.delayed}; failed ${counts.failed} (${unexpectedFailed.length} not forced${
      unexpectedFailed.length
        ? `: ${unexpectedFailed
            .slice(0, 3)
            .map((j) => `${j.name} ${j.failedReason}`)
            .join('; ')}`
        : ''
    }); completed kept ${counts.completed}`,
    ok: left === 0 && unexpectedFailed.length === 0,
  });

  // Every answer the clients saw, against the windows the faults opened. A request the client
  // gave up on (10 s) is counted apart: it is a hang, not an answer.
  const unexpected: string[] = [];
  const timeouts: string[] = [];
  for (const o of run.client.observations) {
    if (o.api === 's3') {
      if (o.status !== 200) unexpected.push(`PUT ${o.status}`);
      continue;
    }
    if (o.status === 0 && o.error === 'TimeoutError') {
      timeouts.push(`${o.api} ${o.step} at ${Math.round((o.t - run.t0) / 1000)} s`);
      continue;
    }
    const fine = o.status === 200 || o.status === 201;
    if (!fine && !allowed(run.windows, o.api, o.t, o.status))
      unexpected.push(
        `${o.api} ${o.step} ${o.status || o.error} at ${Math.round((o.t - run.t0) / 1000)} s`,
      );
  }
  for (const load of run.loads) {
    for (const e of load.events) {
      if (e.status === 200) continue;
      // The fail-open replica never needs a window for Redis: it must answer 200 throughout.
      if (!allowed(run.windows, load.target, e.t, e.status))
        unexpected.push(
          `load ${load.target} ${e.status || 'error'} at ${Math.round((e.t - run.t0) / 1000)} s`,
        );
    }
  }
  record({
    scenario: 'Every request answered in time',
    expected:
      'no upload-client request left without an answer for 10 s (a 503 is an answer; a hang is not)',
    observed:
      timeouts.length === 0
        ? 'none'
        : `${timeouts.length}: ${timeouts.slice(0, 6).join(', ')} (windows: ${run.windows
            .map(
              (w) =>
                `${w.name} ${Math.round((w.from - run.t0) / 1000)}–${Math.round((w.to - run.t0) / 1000)} s`,
            )
            .slice(0, 2)
            .join(', ')})`,
    ok: timeouts.length === 0,
  });
  const total = run.client.observations.length + run.loads.reduce((n, l) => n + l.events.length, 0);
  const grouped = new Map<string, number>();
  for (const u of unexpected) grouped.set(u, (grouped.get(u) ?? 0) + 1);
  record({
    scenario: 'No unexpected answer under load',
    expected:
      'autocannon and upload clients: 2xx, except 503 inside an outage window and refused connections to the stopped API',
    observed: `${total} answers; windows: ${run.windows.map((w) => `${w.name} ${Math.round((w.from - run.t0) / 1000)}–${w.to - run.t0 > 3_000_000 ? 'end' : Math.round((w.to - run.t0) / 1000)} s`).join(', ')}; unexpected: ${
      unexpected.length === 0
        ? 'none'
        : [...grouped]
            .map(([k, n]) => `${n}× ${k}`)
            .slice(0, 8)
            .join(', ')
    }`,
    ok: unexpected.length === 0,
  });
}

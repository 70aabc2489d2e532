import { randomUUID } from 'node:crypto';
import { makePng } from '@saas/shared/test-support';
import { complete, createAndPut, type Answer } from '../lib/one-upload.ts';
import type { ChaosProcess } from '../lib/processes.ts';
import { say, sleep, waitFor } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run } from '../lib/run.ts';
import { startProbes, statusesIn, summarize } from './probes.ts';

const OUTAGE_MS = 10_000;
const PROBE_UPLOADS = 4;

const jobLines = (workers: readonly ChaosProcess[], msg: string, from: number, to: number) =>
  workers.flatMap((w) =>
    w.logs().filter((l) => {
      const t = typeof l.time === 'number' ? l.time : Date.parse(String(l.time));
      return l.queue === 'uploads' && l.msg === msg && t >= from && t <= to;
    }),
  );

/**
 * The object store unreachable for ~10 s from every API and worker (the fault proxy resets
 * every connection), while the upload stream keeps creating, completing and processing.
 * Expected: `complete` answers 503 with Retry-After (never 500) and leaves the row `pending`;
 * jobs that cannot read their object fail an attempt and retry with backoff, then finish;
 * liveness and readiness stay 200 (storage is not critical for readiness: every replica shares
 * the same store, so taking them all out of rotation would only add an outage of the routes
 * that do not need it), while /health reports `storage` failing and /health/storage is 503.
 */
export async function storageOutage(run: Run): Promise<void> {
  const api = run.apis[0]!;
  const auth = { authorization: `Bearer ${await run.ctx.tokenFor(randomUUID())}` };
  const png = makePng(64, 64, { noise: true });
  const ids: string[] = [];
  for (let i = 0; i < PROBE_UPLOADS; i++)
    ids.push(await createAndPut(api, auth, png, `storage-outage-${i}.png`));

  const probes = startProbes(
    [
      ...run.apis.map((proc) => ({
        proc,
        paths: ['/health/live', '/health/ready', '/health/storage'],
      })),
      ...run.workers.map((proc) => ({ proc, paths: ['/health/ready'] })),
    ],
    250,
  );
  await sleep(500);
  say(`storage: cutting every connection to the S3 server for ${OUTAGE_MS / 1000} s`);
  const down = Date.now();
  run.ctx.s3Fault.setDown(true);
  await sleep(2000);
  const during: Answer[] = [];
  for (const id of ids) during.push(await complete(api, auth, id));
  const rowsDuring = await run.ctx.sql<{ status: string }[]>`
    select status from public.uploads where id = any(${ids}::uuid[])`;
  const full = await api.get('/health');
  await sleep(Math.max(0, down + OUTAGE_MS - Date.now()));
  run.ctx.s3Fault.setDown(false);
  const up = Date.now();
  say('storage: reachable again');
  // Clients retry on 503; a complete sent just after the outage may still meet a failing head.
  run.windows.push({ name: 'storage outage', from: down, to: up + 3000, statuses: [503] });
  const healthyAt = await waitFor(
    'every API to answer /health/storage 200 after the store came back',
    async () => {
      const all = await Promise.all(run.apis.map((p) => p.get('/health/storage')));
      return all.every((r) => r.status === 200) ? Date.now() : undefined;
    },
    30_000,
    250,
  )
    // Reported (and failed) below as "healthy 30 s after".
    .catch(() => up + 30_000)
    .finally(() => probes.stop());
  const after: number[] = [];
  for (const id of ids) after.push((await complete(api, auth, id)).status);
  let finalRows: { status: string }[] = [];
  await waitFor(
    'the outage probe uploads to be ready',
    async () => {
      finalRows = await run.ctx.sql<{ status: string }[]>`
        select status from public.uploads where id = any(${ids}::uuid[])`;
      return finalRows.every((r) => r.status !== 'uploaded');
    },
    60_000,
    500,
  ).catch(() => {});

  const completeStatuses = during.map((a) => a.status);
  const fullBody = full.body as { status?: string; checks?: Record<string, { status?: string }> };
  record({
    scenario: 'Storage down ~10 s: complete',
    expected:
      'POST /complete answers 503 with Retry-After (never 500) and the row stays pending; after it returns, complete answers 200 and the upload ends ready',
    observed: `during: ${summarize(completeStatuses)} (Retry-After ${[...new Set(during.map((a) => a.retryAfter))].join(',')}); rows during: ${[...new Set(rowsDuring.map((r) => r.status))].join(',')}; after: ${summarize(after)}; final: ${summarize(
      finalRows.map((r) => (r.status === 'ready' ? 200 : 0)),
    )
      .replace('200', 'ready')
      .replace('no answer', 'not ready')}`,
    ok:
      completeStatuses.every((s) => s === 503) &&
      during.every((a) => a.retryAfter !== null) &&
      rowsDuring.length === ids.length &&
      rowsDuring.every((r) => r.status === 'pending') &&
      after.every((s) => s === 200) &&
      finalRows.length === ids.length &&
      finalRows.every((r) => r.status === 'ready'),
  });

  const r = probes.results;
  const from = down + 1500;
  const live = run.apis.flatMap((p) => statusesIn(r, p.name, '/health/live', down, up));
  const ready = run.apis.flatMap((p) => statusesIn(r, p.name, '/health/ready', down, up));
  const workerReady = run.workers.flatMap((p) => statusesIn(r, p.name, '/health/ready', down, up));
  const storage = run.apis.flatMap((p) => statusesIn(r, p.name, '/health/storage', from, up));
  record({
    scenario: 'Storage down: health',
    expected:
      '/health/live and /health/ready 200 on the APIs and workers (storage is not critical); /health reports storage fail (degraded); /health/storage 503 during, 200 within 10 s after',
    observed: `live ${summarize(live)}; ready APIs ${summarize(ready)}, workers ${summarize(workerReady)}; /health ${full.status} status=${fullBody.status} storage=${fullBody.checks?.storage?.status}; /health/storage during ${summarize(storage)}; healthy ${((healthyAt - up) / 1000).toFixed(1)} s after`,
    ok:
      live.length > 0 &&
      live.every((s) => s === 200) &&
      ready.every((s) => s === 200) &&
      workerReady.every((s) => s === 200) &&
      fullBody.checks?.storage?.status === 'fail' &&
      storage.length > 0 &&
      storage.every((s) => s === 503) &&
      healthyAt - up <= 10_000,
  });

  // Jobs: attempts that failed in the outage were retried, none gave up (the final check then
  // proves every upload ended ready exactly once).
  const failedAttempts = jobLines(run.workers, 'job attempt failed; will retry', down, up + 2000);
  const gaveUp = jobLines(run.workers, 'job attempt failed; no retry left', down, Date.now());
  const retried = new Set(failedAttempts.map((l) => String(l.jobId)));
  const completedAfter = (): Set<string> =>
    new Set(
      jobLines(run.workers, 'job completed', up, Date.now())
        .map((l) => String(l.jobId))
        .filter((id) => retried.has(id)),
    );
  // A job whose attempts kept failing (the outage, then a busy fleet) runs its 5th attempt
  // 2+4+8+16 s (+20 % jitter) after its first: up to ~36 s. A full-suite run once needed
  // more than 30 s here.
  await waitFor(
    'the jobs that failed in the outage to complete',
    () => completedAfter().size === retried.size,
    45_000,
    500,
  ).catch(() => {});
  const done = completedAfter().size;
  record({
    scenario: 'Storage down: jobs retry with backoff',
    expected:
      'jobs that could not read their object fail an attempt (will retry), then complete after the store returns; none gives up',
    observed: `${failedAttempts.length} failed attempt(s) of ${retried.size} job(s) during; ${done} of those completed by ${((Date.now() - up) / 1000).toFixed(0)} s after; gave up: ${gaveUp.length}`,
    ok: gaveUp.length === 0 && done === retried.size,
  });
}

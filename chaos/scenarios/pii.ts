import { randomUUID } from 'node:crypto';
import { findLeaks, SECRET_CORPUS, type CorpusSecret } from '@saas/shared/logger';
import { JOBS } from '@saas/shared/queue';
import { makePng } from '@saas/shared/test-support';
import { call } from '../lib/http.ts';
import type { ChaosProcess } from '../lib/processes.ts';
import { say, waitFor } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run } from '../lib/run.ts';
import { uploadOnce } from '../lib/upload-stream.ts';

// Header values must be printable ASCII; other secrets travel in bodies and query strings.
const PRINTABLE = /^[\x20-\x7e]+$/;
// A filename the API accepts (no path separators or control characters, ≤ 255).
// eslint-disable-next-line no-control-regex
const FILENAME_OK = (s: string): boolean => s.length <= 255 && !/[\u0000-\u001f\u007f/\\]/.test(s);

export interface PiiSent {
  requests: number;
  forcedFailures: number;
  uploads: number;
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/**
 * Sends every corpus secret (shared/src/logger's test corpus: emails, JWTs, bearer tokens,
 * cards, passwords, signed-URL signatures, phones, API keys…) through every way a user can
 * hand the system data: request headers, query strings, JSON bodies (valid, invalid,
 * malformed), upload filenames (uploads that go all the way through the worker), and job
 * failures whose error messages carry them to the logs and to Sentry.
 */
export async function sendPii(run: Run): Promise<PiiSent> {
  const corpus = SECRET_CORPUS;
  say(
    `pii: sending ${corpus.length} corpus secrets through headers, query strings, JSON bodies, filenames and job failures`,
  );
  let requests = 0;
  const send = async (
    api: ChaosProcess,
    path: string,
    init: Parameters<typeof call>[1] = {},
  ): Promise<void> => {
    requests += 1;
    await call(`${api.base}${path}`, init);
  };

  await pool(corpus, 6, async (s: CorpusSecret, i) => {
    const api = run.apis[i % run.apis.length]!;
    const token = await run.ctx.tokenFor(randomUUID());
    const auth = `Bearer ${token}`;
    const enc = encodeURIComponent;
    if (PRINTABLE.test(s.secret)) {
      await send(api, '/v1/me', {
        headers: {
          authorization: auth,
          'x-api-key': s.secret,
          cookie: `sb-session=${s.secret}`,
          'user-agent': PRINTABLE.test(s.inText) ? s.inText : `agent ${s.secret}`,
          referer: `https://app.example.com/account?token=${enc(s.secret)}`,
          'x-forwarded-for': `203.0.113.7, ${s.secret}`,
        },
      });
      // The token itself as the credential: a 401 that must not echo it anywhere.
      await send(api, '/v1/me', { headers: { authorization: `Bearer ${s.secret}` } });
    }
    await send(api, `/v1/uploads?cursor=${enc(s.secret)}&limit=5`, {
      headers: { authorization: auth },
    });
    await send(api, `/v1/uploads?${enc(s.field)}=${enc(s.fieldValue)}`, {
      headers: { authorization: auth },
    });
    await send(api, `/v1/uploads/limits?q=${enc(s.inText)}`);
    await send(api, '/v1/uploads', {
      method: 'POST',
      headers: { authorization: auth },
      body: {
        filename: s.inText.slice(0, 255),
        contentType: 'image/png',
        size: 10,
        [s.field]: s.fieldValue,
      },
    });
    await send(api, '/v1/uploads', {
      method: 'POST',
      headers: { authorization: auth },
      body: `{"filename": "${s.inText.replace(/["\\\n]/g, ' ')}", "password": "${s.secret.replace(/["\\\n]/g, ' ')}"`,
    });
    await send(api, '/v1/dev/login', {
      method: 'POST',
      body: { email: s.secret, password: s.secret },
    });
  });

  // Filenames that go all the way: created, uploaded, completed, processed by a worker.
  const named = corpus
    .filter((s) => FILENAME_OK(s.inText.trim()) && s.inText.trim().length > 0)
    .slice(0, 12);
  const png = makePng(32, 32);
  const uploads = await Promise.all(
    named.map((s, i) =>
      uploadOnce(run.client, {
        n: 100_000 + i,
        user: randomUUID(),
        filename: s.inText.trim(),
        body: png,
      }),
    ),
  );
  run.stream.records.push(...uploads);

  // Job failures whose error messages carry the secret: a job name no handler knows (its
  // name is in the error) and payloads the schema refuses. One attempt: failed for good at
  // once, so the worker logs the error and sends it to Sentry.
  let forcedFailures = 0;
  for (const [i, s] of corpus.entries()) {
    const unknown = await run.ctx.queue.add(
      s.inText.slice(0, 200),
      { uploadId: randomUUID(), requestId: `pii-${i}` },
      { attempts: 1, removeOnFail: false },
    );
    const invalid = await run.ctx.queue.add(
      JOBS.processUpload,
      { uploadId: s.secret, requestId: s.inText, [s.field]: s.fieldValue },
      { attempts: 1, removeOnFail: false },
    );
    for (const job of [unknown, invalid]) if (job.id) run.forcedJobIds.add(job.id);
    forcedFailures += 2;
  }
  say(
    `pii: ${requests} requests sent, ${uploads.length} uploads with secret filenames, ${forcedFailures} failing jobs enqueued; waiting for their Sentry events`,
  );
  await waitFor(
    `${forcedFailures} forced jobs in the failed set`,
    async () => ((await run.ctx.queue.getJobCounts('failed')).failed ?? 0) >= forcedFailures,
    60_000,
    250,
  );
  // Then until their Sentry events stop arriving (the SDK sends in the background).
  let seen = -1;
  await waitFor(
    'the Sentry events of the forced failures to settle',
    () => {
      const now = forcedEvents(run).length;
      const settled = now === seen && now > 0;
      seen = now;
      return settled;
    },
    60_000,
    1500,
  ).catch(() => undefined);
  return { requests, forcedFailures, uploads: uploads.length };
}

/** Sentry events the workers sent for the forced failures (tagged with their job ids). */
function forcedEvents(run: Run): Record<string, unknown>[] {
  return run.ctx.sentry.events().filter((e) => {
    const tags = e.tags as Record<string, unknown> | undefined;
    return typeof tags?.jobId === 'string' && run.forcedJobIds.has(tags.jobId);
  });
}

const exceptionMessage = (event: Record<string, unknown>): string =>
  String((event.exception as { values?: { value?: unknown }[] } | undefined)?.values?.[0]?.value);

/**
 * After the whole run (so every later scenario's output counts too): no corpus secret in any
 * line any process wrote, nor in any envelope the fake Sentry ingest server received.
 */
export function checkPiiLeaks(run: Run, sent: PiiSent, processes: readonly ChaosProcess[]): void {
  const leaks: string[] = [];
  let lines = 0;
  for (const p of processes) {
    for (const line of p.proc.lines) {
      lines += 1;
      for (const s of findLeaks(line)) leaks.push(`${p.name} log: ${s.kind} (${s.field})`);
    }
  }
  const envelopes = run.ctx.sentry.envelopes;
  for (const e of envelopes)
    for (const s of findLeaks(e.raw)) leaks.push(`Sentry envelope: ${s.kind} (${s.field})`);
  const events = run.ctx.sentry.events().length;
  const forced = forcedEvents(run);
  // Every distinct error the workers logged for a forced failure reached Sentry (its Dedupe
  // integration drops an event identical to the one just before it, so counts may differ).
  const logged = new Set(
    processes
      .filter((p) => p.kind === 'worker')
      .flatMap((p) => p.logs())
      .filter(
        (l) =>
          String(l.msg).startsWith('job failed for good') && run.forcedJobIds.has(String(l.jobId)),
      )
      .map((l) => String((l.err as { message?: unknown } | undefined)?.message)),
  );
  const reported = new Set(forced.map(exceptionMessage));
  const unreported = [...logged].filter((m) => !reported.has(m)).length;
  const apiRequestLines = processes
    .filter((p) => p.kind === 'api')
    .flatMap((p) => p.logs())
    .filter(
      (l) => typeof l.statusCode === 'number' && l.statusCode >= 400 && l.statusCode < 500,
    ).length;
  const unique = [...new Set(leaks)];
  record({
    scenario: `PII corpus (${SECRET_CORPUS.length} secrets) in logs and Sentry`,
    expected:
      'no secret in any process output or Sentry envelope (sent via headers, query strings, JSON bodies, filenames, job failures)',
    observed: `${sent.requests} requests, ${sent.uploads} uploads, ${sent.forcedFailures} failed jobs → ${lines} log lines (${apiRequestLines} 4xx request lines), ${events} Sentry events in ${envelopes.length} envelopes (${forced.length} for the forced failures, ${logged.size - unreported}/${logged.size} distinct errors reported); leaks: ${unique.length === 0 ? 'none' : unique.slice(0, 8).join('; ')}`,
    ok:
      unique.length === 0 &&
      logged.size > 0 &&
      unreported === 0 &&
      apiRequestLines >= sent.requests / 2,
  });
}

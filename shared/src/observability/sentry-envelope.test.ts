import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnNode, type SpawnedProcess } from '@saas/shared/test-support';
import { findLeaks, SECRET_CORPUS } from '../logger/test-corpus.ts';
import { startFakeSentryIngest, type FakeSentryIngest } from './fake-sentry-ingest.ts';

// Sentry is started for real in a child process (the SDK instruments the process globally and
// cannot be started twice, so not inside Jest) and sends its real envelopes over HTTP to a fake
// Sentry ingest server on loopback.

const fixture = fileURLToPath(new URL('./test-fixtures/sentry-corpus-child.ts', import.meta.url));

interface SentryEvent {
  exception?: { values?: { value?: string }[] };
  tags?: Record<string, string>;
  user?: Record<string, unknown>;
  request?: { headers?: Record<string, string>; cookies?: unknown; env?: unknown; url?: string };
}

// Both session modes: sessions are sent without passing beforeSend, so each mode's envelopes
// must be checked for what they carry.
describe.each([
  ['request sessions off (the default)', 'false'],
  ['request sessions on', 'true'],
])('Sentry through a fake Sentry ingest server, %s', (_mode, requestSessions) => {
  let ingest: FakeSentryIngest;
  let child: SpawnedProcess;
  let events: SentryEvent[];

  beforeAll(async () => {
    ingest = await startFakeSentryIngest();
    child = spawnNode(fixture, {
      env: { SENTRY_DSN: ingest.dsn, REQUEST_SESSIONS: requestSessions },
    });
    const { code } = await child.exited;
    if (code !== 0) throw new Error(`fixture exited ${code}:\n${child.lines.join('\n')}`);
    events = (await ingest.waitForEvents(SECRET_CORPUS.length)) as SentryEvent[];
  });

  afterAll(async () => {
    await child?.kill();
    await ingest?.close();
  });

  test('starts once, sends every event and flushes', () => {
    expect(child.lines).toContain('init enabled=true sameHandleOnSecondInit=true');
    expect(child.lines).toContain(`flushed=true cases=${SECRET_CORPUS.length}`);
    expect(events).toHaveLength(SECRET_CORPUS.length);
    // The SDK gzips large envelopes; the server decoded at least one.
    expect(ingest.envelopes.some((e) => e.contentEncoding === 'gzip')).toBe(true);
  });

  test('no envelope carries a corpus secret', () => {
    const leaks = ingest.envelopes.flatMap((e) =>
      findLeaks(e.raw).map((s) => `${s.kind}: ${s.secret}`),
    );
    expect(leaks).toEqual([]);
    const raw = ingest.envelopes.map((e) => e.raw).join('\n');
    // The scope's user email and the client IP (set on the scope, in X-Forwarded-For) stay home too.
    expect(raw).not.toContain('scope.user@example.com');
    expect(raw).not.toContain('203.0.113.7');
  });

  test('keeps the non-secret text and the ids', () => {
    for (let i = 0; i < SECRET_CORPUS.length; i += 1) {
      const event = events.find((e) => e.tags?.requestId === `req-case-${i}`);
      expect(event).toBeDefined();
      const values = event?.exception?.values?.map((v) => v.value) ?? [];
      expect(values.some((v) => v?.startsWith(`upload failed (case ${i}): `))).toBe(true);
      expect(event?.tags).toMatchObject({
        jobId: `job-case-${i}`,
        queue: 'uploads',
        service: 'corpus-fixture',
        route: '/v1/uploads/:id',
      });
      expect(event?.user).toEqual({ id: i % 2 === 0 ? `user-case-${i}` : 'user-from-scope' });
    }
  });

  test('sends request headers without credentials, cookies or client IPs', () => {
    for (const event of events) {
      const headers = event.request?.headers ?? {};
      expect(headers['user-agent']).toBe('corpus-test');
      expect(headers.authorization).toBe('[redacted]');
      expect(headers).not.toHaveProperty('x-forwarded-for');
      expect(headers).not.toHaveProperty('cookie');
      expect(event.request).not.toHaveProperty('cookies');
      expect(event.request).not.toHaveProperty('env');
      expect(event.request?.url).toContain('token=[redacted]');
    }
  });
});

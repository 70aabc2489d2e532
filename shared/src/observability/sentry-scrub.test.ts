import { describe, expect, test } from '@jest/globals';
import type { ErrorEvent, EventHint } from '@sentry/node';
import { findLeaks, SECRET_CORPUS } from '../logger/test-corpus.ts';
import { buildSentryOptions } from './sentry-options.ts';
import { scrubBreadcrumb, scrubSentryEvent } from './sentry-scrub.ts';
import { scrubQueryString, scrubUrl } from './scrub-url.ts';

// An event as the SDK hands it to beforeSend, with a corpus secret in every field it has.
const eventWith = (s: (typeof SECRET_CORPUS)[number]): ErrorEvent => ({
  type: undefined,
  message: `failed: ${s.inText}`,
  exception: {
    values: [
      {
        type: 'Error',
        value: `upload failed: ${s.inText}`,
        stacktrace: {
          frames: [
            {
              filename: '/app/dist/uploads/service.js',
              function: 'complete',
              context_line: `  const note = ${JSON.stringify(s.inText)};`,
              vars: { [s.field]: s.fieldValue, note: s.inText, nested: { deeper: [s.inText] } },
            },
          ],
        },
      },
    ],
  },
  request: {
    method: 'POST',
    url: `https://api.example.com/v1/uploads?token=${encodeURIComponent(s.secret)}&note=${encodeURIComponent(s.inText)}`,
    query_string: `token=${encodeURIComponent(s.secret)}&note=${encodeURIComponent(s.inText)}`,
    headers: {
      Authorization: `Bearer ${s.secret}`,
      Cookie: `sid=${s.secret}`,
      'X-Forwarded-For': '203.0.113.7',
      'x-note': s.inText,
      'user-agent': 'jest',
    },
    cookies: { sid: s.secret },
    data: { [s.field]: s.fieldValue, note: s.inText },
    env: { REMOTE_ADDR: '203.0.113.7' },
  },
  user: { id: 'u-1', email: 'someone@example.com', ip_address: '203.0.113.7', username: 'someone' },
  extra: { payload: { [s.field]: s.fieldValue, note: s.inText } },
  contexts: { job: { data: { [s.field]: s.fieldValue, note: s.inText } } },
  tags: { note: s.inText, requestId: 'r-1' },
  fingerprint: ['{{ default }}', s.inText],
  breadcrumbs: [
    {
      message: s.inText,
      data: {
        url: `/x?token=${encodeURIComponent(s.secret)}`,
        'url.query': `sig=${encodeURIComponent(s.secret)}`,
        note: s.inText,
      },
    },
  ],
});

describe('scrubSentryEvent', () => {
  test.each(SECRET_CORPUS.map((s) => [`${s.kind} ${s.field}`, s] as const))(
    '%s leaves no trace',
    (_name, s) => {
      const input = eventWith(s);
      expect(findLeaks(JSON.stringify(input))).toContain(s);
      const out = scrubSentryEvent(input);
      expect(findLeaks(JSON.stringify(out))).toEqual([]);
    },
  );

  test('keeps the user id only, drops cookies, env and IP headers, keeps the rest of the request', () => {
    const out = scrubSentryEvent(eventWith(SECRET_CORPUS[0]!));
    expect(out.user).toEqual({ id: 'u-1' });
    expect(out.request).not.toHaveProperty('cookies');
    expect(out.request).not.toHaveProperty('env');
    expect(out.request?.headers).toEqual({
      Authorization: '[redacted]',
      Cookie: '[redacted]',
      'x-note': 'user [redacted:email] signed in',
      'user-agent': 'jest',
    });
    expect(out.request?.method).toBe('POST');
    expect(out.tags).toEqual({ note: 'user [redacted:email] signed in', requestId: 'r-1' });
    expect(JSON.stringify(out)).not.toContain('203.0.113.7');
  });

  test('drops a user without an id', () => {
    const out = scrubSentryEvent({ type: undefined, user: { email: 'a@b.example' } } as ErrorEvent);
    expect(out).not.toHaveProperty('user');
  });

  test('is what the SDK options run before sending and before recording a breadcrumb', async () => {
    const opts = buildSentryOptions({
      dsn: 'http://k@127.0.0.1:1/1',
      environment: 't',
      release: 'r',
      service: 's',
      tracesSampleRate: 0,
    });
    const s = SECRET_CORPUS[10]!;
    const sent = await opts.beforeSend?.(eventWith(s), {} as EventHint);
    expect(findLeaks(JSON.stringify(sent))).toEqual([]);
    const crumb = opts.beforeBreadcrumb?.({
      message: s.inText,
      data: { url: `/p?token=${encodeURIComponent(s.secret)}` },
    });
    expect(findLeaks(JSON.stringify(crumb))).toEqual([]);
    expect(opts.tracesSampleRate).toBeNull();
    expect(opts.dataCollection).toMatchObject({
      userInfo: false,
      cookies: false,
      httpBodies: [],
      stackFrameVariables: false,
    });
  });
});

describe('scrubBreadcrumb', () => {
  test('scrubs an HTTP breadcrumb query parameter by parameter', () => {
    expect(
      scrubBreadcrumb({
        data: { url: '/a?email=a%40b.example&page=2', 'url.query': 'token=t0ken&page=2' },
      }),
    ).toEqual({
      data: { url: '/a?email=[redacted]&page=2', 'url.query': 'token=[redacted]&page=2' },
    });
  });
});

describe('scrubUrl', () => {
  test('decodes parameters before scrubbing and keeps clean URLs byte for byte', () => {
    expect(scrubQueryString('note=mail%20a%40b.example&page=2')).toBe(
      'note=mail%20[redacted:email]&page=2',
    );
    expect(scrubUrl('https://u:pw@h.example/p?x-amz-signature=abc&a=1#frag')).toBe(
      'https://u:[redacted]@h.example/p?x-amz-signature=[redacted]&a=1#frag',
    );
    const clean = '/v1/uploads?limit=20&cursor=a%2Bb';
    expect(scrubUrl(clean)).toBe(clean);
  });
});

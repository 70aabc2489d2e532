import { describe, expect, test } from '@jest/globals';
import { pino, type Logger } from 'pino';
import { createLogger } from './create-logger.ts';
import { ADVERSARIAL_INPUTS } from './adversarial-inputs.ts';
import { createMemoryDestination } from './memory-destination.ts';
import { MAX_SCRUB_CHARS } from './scrub-string.ts';
import { findLeaks, SAFE_TEXTS, SECRET_CORPUS, type CorpusSecret } from './test-corpus.ts';

// Every way a secret reaches a log call in this codebase, each one driven with the whole corpus.
const PLACEMENTS: Record<string, (log: Logger, s: CorpusSecret) => void> = {
  'message string': (log, s) => log.info(`event: ${s.inText}`),
  'format arguments': (log, s) =>
    log.warn('event %s (%j) %o', s.inText, { note: s.inText }, [s.inText]),
  'nested object field': (log, s) => log.info({ ctx: { step: { detail: s.inText } } }, 'nested'),
  'structured field by name': (log, s) =>
    log.info(
      {
        [s.field]: s.fieldValue,
        body: { [s.field]: s.fieldValue },
        profile: { contact: { [s.field]: s.fieldValue } },
      },
      'structured',
    ),
  'header objects': (log, s) =>
    log.info(
      {
        req: {
          method: 'POST',
          url: '/v1/uploads',
          headers: {
            authorization: `Bearer ${s.secret}`,
            cookie: `sid=${s.secret}`,
            'x-api-key': s.secret,
            'x-note': s.inText,
          },
        },
        res: { statusCode: 401, headers: { 'set-cookie': `sid=${s.secret}; HttpOnly` } },
        headers: { [s.field]: s.fieldValue, referer: s.inText },
      },
      'http',
    ),
  'error message': (log, s) => log.error(new Error(`failed: ${s.inText}`)),
  'error under err': (log, s) => log.error({ err: new TypeError(s.inText), requestId: 'r-1' }),
  'error cause and stack': (log, s) => {
    const outer = new Error('outer failure', { cause: new RangeError(s.inText) });
    outer.stack = `Error: outer failure\n    at handler (${s.inText})\n    at next (file:///app/dist/main.js:1:1)`;
    log.error({ err: outer }, 'request failed');
  },
  'error own fields': (log, s) => {
    const err = Object.assign(new Error('upstream refused'), {
      code: 'E_UPSTREAM',
      details: { [s.field]: s.fieldValue, note: s.inText },
      config: { headers: { authorization: `Bearer ${s.secret}` } },
    });
    log.error({ err }, 'client error');
  },
  'aggregate error': (log, s) =>
    log.error(new AggregateError([new Error(s.inText)], 'several failed')),
  'plain object as err': (log, s) => log.error({ err: { message: s.inText, code: 'E_PLAIN' } }),
  arrays: (log, s) =>
    log.info({ items: ['ok', s.inText, { note: s.inText }, [[s.inText]]] }, 'arrays'),
  'job data': (log, s) =>
    log.info(
      {
        job: {
          id: '3f2b8c1e-9d4a-4e6b-8f1a-2c3d4e5f6a7b',
          name: 'process-upload',
          data: {
            uploadId: '3f2b8c1e-9d4a-4e6b-8f1a-2c3d4e5f6a7b',
            [s.field]: s.fieldValue,
            note: s.inText,
          },
        },
        data: { [s.field]: s.fieldValue },
        queue: 'uploads',
      },
      'job started',
    ),
  'child bindings': (log, s) =>
    log
      .child({ note: s.inText, [s.field]: s.fieldValue })
      .child({ deeper: { text: s.inText } })
      .info('child'),
};

const capture = (): { log: Logger; lines: string[] } => {
  const dest = createMemoryDestination();
  const log = createLogger({
    service: 'corpus',
    env: 'test',
    version: '0.0.0',
    level: 'trace',
    destination: dest,
  });
  return { log, lines: dest.lines };
};

describe('secret corpus', () => {
  test('holds at least 50 distinct secrets of every kind, each visible to the leak detector', () => {
    const values = new Set(SECRET_CORPUS.map((s) => s.secret));
    expect(values.size).toBe(SECRET_CORPUS.length);
    expect(values.size).toBeGreaterThanOrEqual(50);
    expect(new Set(SECRET_CORPUS.map((s) => s.kind)).size).toBeGreaterThanOrEqual(10);
    // Without this, a detector that finds nothing would make every leak test pass.
    for (const s of SECRET_CORPUS) {
      expect(findLeaks(s.inText)).toContain(s);
      expect(findLeaks(JSON.stringify({ [s.field]: s.fieldValue }))).toContain(s);
    }
  });

  test('is driven through at least 5 placements', () => {
    expect(Object.keys(PLACEMENTS).length).toBeGreaterThanOrEqual(5);
  });
});

describe('logger output carries no corpus secret', () => {
  test.each(Object.entries(PLACEMENTS))('%s', (_name, place) => {
    const { log, lines } = capture();
    for (const s of SECRET_CORPUS) place(log, s);

    expect(lines.length).toBe(SECRET_CORPUS.length);
    const leaks = lines.flatMap((line) =>
      findLeaks(line).map((s) => `${s.kind} leaked in: ${line}`),
    );
    expect(leaks).toEqual([]);
    // The lines are there and marked, not dropped.
    expect(lines.every((l) => l.includes('[redacted'))).toBe(true);
  });
});

describe('adversarial inputs: the worst case of each rule, a secret after it', () => {
  // 16 KB of the text a rule works hardest on, then a corpus secret of every kind: the secret
  // inside the bound is still redacted, and the line stays bounded.
  test.each(Object.entries(ADVERSARIAL_INPUTS))('%s', (_rule, make) => {
    const { log, lines } = capture();
    for (const s of SECRET_CORPUS) log.info({ path: `${make(8 * 1024)} ${s.inText}` }, 'x');
    expect(lines.length).toBe(SECRET_CORPUS.length);
    const leaks = lines.flatMap((line) => findLeaks(line).map((s) => `${s.kind} leaked`));
    expect(leaks).toEqual([]);
    for (const line of lines) {
      const { path } = JSON.parse(line) as { path: string };
      expect(path.length).toBeLessThanOrEqual(MAX_SCRUB_CHARS);
    }
  });
});

describe('control: the placements really carry secrets', () => {
  test.each(Object.entries(PLACEMENTS))('plain pino leaks via %s', (_name, place) => {
    const dest = createMemoryDestination();
    const plain = pino({ level: 'trace' }, dest);
    for (const s of SECRET_CORPUS) place(plain, s);
    const leaked = new Set(dest.lines.flatMap(findLeaks));
    expect(leaked.size).toBe(SECRET_CORPUS.length);
  });
});

describe('logger output keeps ordinary text', () => {
  test.each(SAFE_TEXTS)('%s', (text) => {
    const { log, lines } = capture();
    log.info(text);
    log.info({ ctx: { detail: text }, items: [text] }, 'nested');
    log.error(new Error(text));
    log.info('fmt %s', text);

    const [msg, nested, error, fmt] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(msg?.msg).toBe(text);
    expect(nested?.ctx).toEqual({ detail: text });
    expect(nested?.items).toEqual([text]);
    expect((error?.err as { message?: unknown }).message).toBe(text);
    expect(error?.msg).toBe(text);
    expect(fmt?.msg).toBe(`fmt ${text}`);
  });
});

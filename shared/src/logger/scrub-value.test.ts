import { EventEmitter } from 'node:events';
import { describe, expect, test } from '@jest/globals';
import { isSensitiveKey } from './sensitive-keys.ts';
import { scrubValue, serializeError, type SerializedError } from './scrub-value.ts';

describe('scrubValue', () => {
  test('returns the same reference when nothing needs scrubbing', () => {
    const clean = { a: 1, b: ['x', { c: 'ok', d: null }], e: true };
    expect(scrubValue(clean)).toBe(clean);
  });

  test('copies on write and never mutates its input', () => {
    const input = { keep: { n: 1 }, msg: 'to a@b.example', list: ['ok', 'x@y.example'] };
    const frozen = JSON.stringify(input);
    const out = scrubValue(input) as typeof input;
    expect(JSON.stringify(input)).toBe(frozen);
    expect(out.msg).toBe('to [redacted:email]');
    expect(out.list).toEqual(['ok', '[redacted:email]']);
    expect(out.keep).toBe(input.keep);
  });

  test('censors fields with a sensitive name at any depth, keeping null/undefined/booleans', () => {
    const out = scrubValue({
      a: {
        b: {
          c: {
            d: { dbPassword: 'plain', apiKey: 42, 'set-cookie': ['x'], token: null, secret: false },
          },
        },
      },
    });
    expect(out).toEqual({
      a: {
        b: {
          c: {
            d: {
              dbPassword: '[redacted]',
              apiKey: '[redacted]',
              'set-cookie': '[redacted]',
              token: null,
              secret: false,
            },
          },
        },
      },
    });
  });

  test('scrubs object keys that are themselves personal data', () => {
    expect(scrubValue({ 'a@b.example': 1 })).toEqual({ '[redacted:email]': 1 });
  });

  test('replaces cycles with a marker and keeps shared, non-cyclic references', () => {
    const shared = { v: 'ok' };
    const loop: Record<string, unknown> = { note: 'x@y.example', a: shared, b: shared, list: [] };
    loop.me = loop;
    (loop.list as unknown[]).push(loop);
    const out = scrubValue(loop) as Record<string, unknown>;
    expect(out).toEqual({
      note: '[redacted:email]',
      a: { v: 'ok' },
      b: { v: 'ok' },
      list: ['[circular]'],
      me: '[circular]',
    });
    expect(out.a).toBe(shared);
    expect(out.b).toBe(shared);
  });

  test('stops at a depth limit instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = { leaf: 'x@y.example' };
    for (let i = 0; i < 10_000; i += 1) deep = { next: deep };
    const text = JSON.stringify(scrubValue(deep));
    expect(text).toContain('[redacted:depth]');
    expect(text).not.toContain('x@y.example');
  });

  test('does not walk class instances (sockets, requests, buffers, dates)', () => {
    const emitter = Object.assign(new EventEmitter(), { note: 'x@y.example' });
    const date = new Date(0);
    const buf = Buffer.from('x@y.example');
    const input = { emitter, date, buf };
    expect(scrubValue(input)).toBe(input);
  });

  test('walks objects built on a literal prototype (pino serialized requests)', () => {
    const proto = {
      get raw() {
        return 'hidden';
      },
    };
    const req = Object.assign(Object.create(proto) as object, { url: '/x?token=abc' });
    expect(scrubValue({ req })).toEqual({ req: { url: '/x?token=[redacted]' } });
  });
});

describe('serializeError', () => {
  test('scrubs message, stack, own fields, cause and aggregated errors', () => {
    const cause = new Error('db at postgres://u:pw1@db:5432/app refused');
    const err = Object.assign(new TypeError('bad a@b.example', { cause }), {
      code: 'E_X',
      headers: { authorization: 'Bearer abcdefghij' },
    });
    const agg = new AggregateError([err], 'two failed 4111 1111 1111 1111');
    const out = serializeError(agg);
    const text = JSON.stringify(out);
    for (const secret of ['a@b.example', 'pw1', 'abcdefghij', '4111 1111'])
      expect(text).not.toContain(secret);
    expect(out.type).toBe('AggregateError');
    expect(out.message).toBe('two failed [redacted:card]');
    const inner = out.errors?.[0] as SerializedError;
    expect(inner).toMatchObject({
      type: 'TypeError',
      message: 'bad [redacted:email]',
      code: 'E_X',
    });
    expect(inner.headers).toEqual({ authorization: '[redacted]' });
    expect((inner.cause as SerializedError).message).toBe(
      'db at postgres://u:[redacted]@db:5432/app refused',
    );
    expect(inner.stack).toContain('TypeError: bad [redacted:email]');
  });

  test('survives a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(serializeError(a)).toMatchObject({
      message: 'a',
      cause: { message: 'b', cause: '[circular]' },
    });
  });

  test('scrubs a stack once: the message part reuses the scrubbed message', () => {
    const err = new Error('invite to jane.doe@example.com failed');
    const data = serializeError(err);
    expect(data.message).toBe('invite to [redacted:email] failed');
    expect(data.stack?.startsWith('Error: invite to [redacted:email] failed\n')).toBe(true);
    expect(data.stack).not.toContain('jane.doe');
    // The logger's err serializer sees the data formatters.log made: returned as it is.
    expect(serializeError(data)).toBe(data);
  });

  test('passes non-errors through the value scrubber', () => {
    expect(serializeError('x@y.example')).toBe('[redacted:email]');
    expect(serializeError({ message: 'x@y.example' })).toEqual({ message: '[redacted:email]' });
    expect(serializeError(undefined)).toBeUndefined();
  });
});

describe('isSensitiveKey', () => {
  test.each([
    'password',
    'dbPassword',
    'x-api-key',
    'api_key',
    'csrf_token',
    'userEmail',
    'set-cookie',
    'Authorization',
    'cardNumber',
  ])('%s is sensitive', (key) => expect(isSensitiveKey(key)).toBe(true));
  test.each([
    'tokens',
    'max_tokens',
    'tokenType',
    'emailVerified',
    'requestId',
    'uploadId',
    'durationMs',
    'status',
  ])('%s is not', (key) => expect(isSensitiveKey(key)).toBe(false));
});

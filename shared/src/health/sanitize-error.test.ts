import { describe, expect, it } from '@jest/globals';
import { describeCheckError, sanitizeErrorText } from './sanitize-error.ts';

describe('describeCheckError', () => {
  it('drops a connection string and its password', () => {
    const text = describeCheckError(new Error('connect to postgres://u:secret@h/db failed'));
    expect(text).not.toContain('secret');
    expect(text).not.toContain('postgres://');
    expect(text).toBe('connect to [url] failed');
  });

  it.each([
    ['redis URL', 'Redis rediss://default:hunter2@cache.example.com:6380 unreachable', 'hunter2'],
    ['libpq key/value', 'bad options host=db password=hunter2 user=app', 'hunter2'],
    ['quoted secret', "auth failed: password='hunter2 x'", 'hunter2 x'],
    ['api key', 'rejected with api_key: hunter2', 'hunter2'],
    ['bearer token', 'upstream said 401 for Bearer abc.def.hunter2', 'hunter2'],
    ['credentials without scheme', 'cannot reach admin:hunter2@10.0.0.5:5432', 'hunter2'],
    ['signed URL', 'GET https://s3.example.com/b/k?X-Amz-Signature=hunter2 failed', 'hunter2'],
    [
      'JWT',
      'invalid token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJodW50ZXIyIn0.c2lnbmF0dXJl',
      'eyJzdWIiOiJodW50ZXIyIn0',
    ],
    ['email', 'row owned by jane.doe@example.com is locked', 'jane.doe@example.com'],
  ])('strips a %s', (_label, message, secret) => {
    const text = describeCheckError(new Error(message));
    expect(text).not.toContain(secret);
    expect(text.length).toBeGreaterThan(0);
  });

  it('keeps what helps an operator: the failure and the host:port', () => {
    expect(describeCheckError(new Error('connect ECONNREFUSED 127.0.0.1:6380'))).toBe(
      'connect ECONNREFUSED 127.0.0.1:6380',
    );
  });

  it('reports the first inner error of an empty AggregateError (happy eyeballs connect)', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(describeCheckError(new AggregateError([inner], ''))).toBe(
      'connect ECONNREFUSED ::1:5432',
    );
  });

  it('falls back to the error code, then to a fixed text', () => {
    expect(describeCheckError(Object.assign(new Error(''), { code: 'ETIMEDOUT' }))).toBe(
      'ETIMEDOUT',
    );
    expect(describeCheckError({ password: 'hunter2' })).toBe('check failed');
    expect(describeCheckError(undefined)).toBe('check failed');
  });

  it('flattens multi-line messages and caps the length', () => {
    const text = sanitizeErrorText(`first line\n    at stack (file.ts:1:1)\n${'x'.repeat(500)}`);
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text.endsWith('…')).toBe(true);
  });
});

import { describe, expect, test } from '@jest/globals';
import { describeError, isStorageNotFound, scrubSecrets, StorageError } from './storage-error.ts';

describe('storage errors', () => {
  test('scrubSecrets removes configured secrets, URL signatures, tokens and bearer values', () => {
    const text =
      'key AKIA1234 secret s3cr3t-value at http://h/b/k?X-Amz-Credential=AKIA1234%2F2026&X-Amz-Signature=abcdef&token=eyJ.a.b Bearer eyJhbGciOi.x.y';
    const out = scrubSecrets(text, ['AKIA1234', 's3cr3t-value']);
    expect(out).not.toMatch(/AKIA1234|s3cr3t-value|abcdef|eyJ/);
    expect(out).toContain('X-Amz-Signature=[redacted]');
    expect(out).toContain('token=[redacted]');
    expect(out).toContain('Bearer [redacted]');
  });

  test('describeError keeps the low-level code fetch() hides in its cause', () => {
    const err = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(describeError(err)).toEqual({
      code: 'ECONNREFUSED',
      text: 'TypeError: fetch failed (ECONNREFUSED)',
    });
    expect(describeError('plain')).toEqual({ code: 'Error', text: 'Error: plain' });
  });

  test('StorageError names the operation and says whether the object was missing', () => {
    const err = new StorageError('head', 'NoSuchKey: gone', {
      code: 'NoSuchKey',
      status: 404,
      notFound: true,
    });
    expect(err.message).toBe('storage head failed: NoSuchKey: gone');
    expect(err.name).toBe('StorageError');
    expect(isStorageNotFound(err)).toBe(true);
    expect(isStorageNotFound(new Error('x'))).toBe(false);
  });
});

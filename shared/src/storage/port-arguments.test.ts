import { describe, expect, test } from '@jest/globals';
import {
  assertContentType,
  assertExpiresInS,
  assertObjectKey,
  assertUploadSize,
  MAX_EXPIRES_IN_S,
} from './port-arguments.ts';

describe('port arguments', () => {
  test.each(['u/8d7f/upload-1', 'a', 'owner/ä ö.pdf'])('key %j is accepted', (key) => {
    expect(() => assertObjectKey(key)).not.toThrow();
  });

  test.each(['', '/a', 'a/', 'a//b', 'a/./b', 'a/../b', '..', 'a\\b', 'a\nb', 'x'.repeat(1025)])(
    'key %j is refused',
    (key) => {
      expect(() => assertObjectKey(key)).toThrow(TypeError);
    },
  );

  test('expiry: whole seconds from 1 to 7 days', () => {
    for (const ok of [1, 60, MAX_EXPIRES_IN_S]) expect(() => assertExpiresInS(ok)).not.toThrow();
    for (const bad of [0, -1, 1.5, MAX_EXPIRES_IN_S + 1, Number.NaN]) {
      expect(() => assertExpiresInS(bad)).toThrow(RangeError);
    }
  });

  test('size: a whole number of bytes up to the 5 GiB single-PUT limit', () => {
    for (const ok of [0, 1, 5 * 1024 ** 3]) expect(() => assertUploadSize(ok)).not.toThrow();
    for (const bad of [-1, 0.5, 5 * 1024 ** 3 + 1]) {
      expect(() => assertUploadSize(bad)).toThrow(RangeError);
    }
  });

  test('content type: a printable ASCII media type, no header injection', () => {
    for (const ok of ['image/png', 'text/plain; charset=utf-8']) {
      expect(() => assertContentType(ok)).not.toThrow();
    }
    for (const bad of ['', 'png', 'text/plain\r\nX-Evil: 1', 'téxt/plain', ' image/png']) {
      expect(() => assertContentType(bad)).toThrow(TypeError);
    }
  });
});

import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { passesLuhn } from './luhn.ts';
import { MAX_SCRUB_CHARS, scrubString, TRUNCATION_MARK } from './scrub-string.ts';

// Assembled at runtime (secret scanners): header.payload.signature, base64url.
const jwtLike = (): string =>
  [
    { alg: 'HS256', typ: 'JWT' },
    { sub: 'user-1', email: 'a@b.example' },
  ]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .concat('c2lnbmF0dXJlLWJ5dGVzLWhlcmU')
    .join('.');

describe('scrubString', () => {
  test.each([
    ['email', 'mail bob.o+x@mail.example.org now', 'mail [redacted:email] now'],
    ['url-encoded email', '/x?email=bob%40mail.example.org&p=1', '/x?email=[redacted:email]&p=1'],
    ['bearer', 'Authorization was Bearer abc.def-ghi_jkl', 'Authorization was Bearer [redacted]'],
    ['basic credentials', 'sent Basic dXNlcjpwYXNz to proxy', 'sent Basic [redacted] to proxy'],
    [
      'authorization header, any scheme',
      'authorization: Digest username="bob", nonce="x"',
      'authorization: [redacted]',
    ],
    ['cookie header', 'Cookie: a=1; sid=abc', 'Cookie: [redacted]'],
    [
      'quoted cookie keeps the JSON shape',
      '{"cookie":"a=1; b=2","x":1}',
      '{"cookie":"[redacted]","x":1}',
    ],
    ['password assignment', 'db_password=s3cr3t&x, next', 'db_password=[redacted] next'],
    ['quoted password with spaces', `{ "password": "two words" }`, `{ "password": "[redacted]" }`],
    [
      'JSON escaped inside a string',
      String.raw`"{\"password\":\"two words\",\"a\":1}"`,
      String.raw`"{\"password\":\"[redacted]\",\"a\":1}"`,
    ],
    ['csrf token', 'csrf_token: abc123', 'csrf_token: [redacted]'],
    ['url credentials', 'redis://:pa@ss@cache:6379/0', 'redis://:[redacted]@cache:6379/0'],
    [
      's3 signature',
      '/k?X-Amz-Date=1&X-Amz-Signature=abc123&x=1',
      '/k?X-Amz-Date=1&X-Amz-Signature=[redacted]&x=1',
    ],
    ['token query param', 'https://h/p?token=abc#frag', 'https://h/p?token=[redacted]#frag'],
    ['card with spaces', 'card 4111 1111 1111 1111.', 'card [redacted:card].'],
    ['card with dashes', '5555-5555-5555-4444', '[redacted:card]'],
    [
      'card glued to a neighbour number',
      'order 22 4111 1111 1111 1111 done',
      'order [redacted:card] done',
    ],
    ['amex grouping', 'amex 3782 822463 10005', 'amex [redacted:card]'],
    ['e164 phone', 'to +4915112345678.', 'to [redacted:phone].'],
    ['international phone', 'to +44 20 7946 0958', 'to [redacted:phone]'],
    [
      'nanp phone',
      'call (415) 555-2671 or 1-800-555-0199',
      'call [redacted:phone] or [redacted:phone]',
    ],
    ['phone named by its key', 'mobile=0170 1234567', 'mobile=[redacted:phone]'],
    [
      'private key',
      'k=-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY----- ok',
      'k=[redacted:private-key] ok',
    ],
  ])('%s', (_name, input, expected) => {
    expect(scrubString(input)).toBe(expected);
  });

  test('redacts JWTs of 3 and 5 segments and unsigned ones', () => {
    const seg = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jws = `${seg({ alg: 'HS256' })}.${seg({ sub: 'u' })}.c2lnbmF0dXJl`;
    const none = `${seg({ alg: 'none' })}.${seg({ sub: 'u' })}.`;
    const jwe = `${seg({ alg: 'dir', enc: 'A256GCM' })}..aXY.Y2lwaGVy.dGFn`;
    expect(scrubString(`a ${jws} b ${none} c ${jwe} d`)).toBe(
      'a [redacted:jwt] b [redacted:jwt] c [redacted:jwt] d',
    );
  });

  test('leaves ordinary numbers, ids and words alone', () => {
    for (const s of [
      'took 1532 ms at 2026-11-05T10:20:30.123Z',
      'epoch 1762337430123 id 9007199254740993',
      'uuid 12345678-1234-4234-8234-123456789012',
      'not a card 4111111111111112',
      'Basic authentication is off; the token expired; enter a password',
      'postgres://127.0.0.1:54322/postgres and npm@11.19.1',
      'GET /v1/uploads?limit=20&cursor=abc 200',
      'counts 12, 345, 6789',
    ]) {
      expect(scrubString(s)).toBe(s);
    }
  });

  test('every card it redacts passes Luhn; failing numbers of the same shape stay', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(scrubString('4111111111111111')).toBe('[redacted:card]');
    expect(passesLuhn('4111111111111113')).toBe(false);
    expect(scrubString('4111111111111113')).toBe('4111111111111113');
  });

  test('is idempotent and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const once = scrubString(s);
        expect(scrubString(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  test('keeps uuids, ISO timestamps and integers', () => {
    const iso = fc
      .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
    fc.assert(
      fc.property(fc.uuid(), iso, fc.integer(), (id, at, n) => {
        const s = `job ${id} at ${at} took ${n} ms`;
        expect(scrubString(s)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  test('stays linear on a long string with no match', () => {
    const blob = `${'a '.repeat(4_000)}@ ${'1'.repeat(5_000)}`;
    expect(scrubString(blob)).toBe(blob);
  });

  test('cuts a string over MAX_SCRUB_CHARS, dropping the token the cut went through', () => {
    const token = jwtLike();
    const long = `${'word '.repeat(3_270)}${token} tail`;
    expect(long.length).toBeGreaterThan(MAX_SCRUB_CHARS);
    const out = scrubString(long);
    expect(out.length).toBeLessThanOrEqual(MAX_SCRUB_CHARS);
    expect(out.endsWith(TRUNCATION_MARK)).toBe(true);
    // The JWT straddles the cut: none of it is kept, not even its first half.
    expect(out).not.toContain('eyJ');
    expect(scrubString(out)).toBe(out);
    // One 50 KB token: nothing of it stays.
    expect(scrubString('a'.repeat(50_000))).toBe(TRUNCATION_MARK);
  });

  test('remembering clean long strings never lets a secret through', () => {
    const frames = '\n    at handler (file:///srv/app/src/routes/uploads.ts:42:17)'.repeat(3);
    expect(scrubString(frames)).toBe(frames);
    expect(scrubString(frames)).toBe(frames);
    const dirty = `${frames} token=${'x'.repeat(12)} jane.doe@example.com`;
    expect(scrubString(dirty)).toBe(`${frames} token=[redacted] [redacted:email]`);
    expect(scrubString(dirty)).toBe(`${frames} token=[redacted] [redacted:email]`);
  });
});

// Fake secrets and personal data for leak tests: every pipeline that can carry user data (logs,
// Sentry events, job payloads, HTTP error bodies) sends these through and asserts none comes
// out. All values are made up. Provider-shaped keys, JWTs and the private key are assembled at
// runtime so secret scanners (push protection, gitleaks) do not flag this file.

export type SecretKind =
  | 'email'
  | 'jwt'
  | 'bearer'
  | 'card'
  | 'password'
  | 'signed-url'
  | 'phone'
  | 'api-key'
  | 'url-credentials'
  | 'cookie'
  | 'private-key';

export interface CorpusSecret {
  readonly kind: SecretKind;
  /** The secret itself: it must never appear in any output. */
  readonly secret: string;
  /** The secret as it shows up in free text (a message, an error message). */
  readonly inText: string;
  /** A field it would travel under in structured data ({ [field]: fieldValue }). */
  readonly field: string;
  readonly fieldValue: string;
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url');
const jwt = (header: object, payload: object, signature: string): string =>
  [b64url(JSON.stringify(header)), b64url(JSON.stringify(payload)), signature].join('.');
const glue = (...parts: string[]): string => parts.join('');

const secret = (
  kind: SecretKind,
  value: string,
  inText: string,
  field: string,
  fieldValue: string = value,
): CorpusSecret => ({ kind, secret: value, inText, field, fieldValue });

const emails = [
  'jane.doe@example.com',
  'j.smith+billing@corp.example.org',
  'ALICE_W@Example.co.uk',
  'bob-o-reilly@sub.mail.example.net',
  'x_y.z%tag@test-domain.io',
  'li.wei@mail.example.cn',
  'first.last@company.museum',
  'ops-alerts@xn--bcher-kva.example',
].map((e, i) =>
  secret(
    'email',
    e,
    [`user ${e} signed in`, `mailto:${e}`, `<${e}>`, `sent to ${e}, retrying`][i % 4]!,
    ['email', 'userEmail', 'contactEmail', 'emailAddress'][i % 4]!,
  ),
);

const jwts = [
  jwt(
    { alg: 'HS256', typ: 'JWT' },
    { sub: '8d0c5a52-6a1e-4c55-9c1e-1f1c2a3b4c5d', role: 'authenticated', exp: 1893456000 },
    'H7BbchxrcT-veXq0oucNkRbKOdP3Qx1gd4ZaE7bc7Js',
  ),
  jwt(
    { alg: 'ES256', kid: 'k1', typ: 'JWT' },
    { iss: 'https://abc.supabase.co/auth/v1', aud: 'authenticated', sub: 'u1' },
    'pfGeVksC2RXrOdHg7vz-0Nrc6LpsQVpUQwptxjZ-a77J63hYqd03s4oXpMZjek3MM72j3BfKddbk8yLRV6QwhQ',
  ),
  jwt(
    { alg: 'RS256', typ: 'JWT' },
    { role: 'service_role', iss: 'supabase' },
    'rLNuoIeoBwIvfV-q5vKGUXWntZrM09kwzJwQqGHRZVuHwBtdA3NyyAOMGeYrWwBgz444QL1RbrAUocnlx02vJ885khgnaOb3f_S3sRhfGuBwB7Yo',
  ),
  jwt({ alg: 'none' }, { sub: 'anon-claims', admin: true }, ''),
  [
    b64url(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM' })),
    '1jcH2rpBjJm35hqkHWWRwXgD9LOQ3tS8kfhcOR8fanUtYmuNM8OTgKRpAbwpV2iMtYR',
    'rlkc6iBPPBn3zlsn',
    'KeKrAGfX13ddxY78-18OOX8z0iNWR2BWO786wr5Oihbxlx-lqFGqVg',
    'kg22qudBYxuZgeOwVozCQg',
  ].join('.'),
  jwt(
    { alg: 'HS512' },
    { jti: 'refresh', sid: 's-123' },
    'UsCh1vWmjYT1RidCiejOhl1VG0suIK712_9KDSa_4kNnPBhQauqExWL7savqVO2woYLp_hQCH_H5Y3VwRLXOHQ',
  ),
].map((t, i) =>
  secret(
    'jwt',
    t,
    [`token ${t} expired`, `refresh with ${t}`, `jwt=${t}`][i % 3]!,
    ['accessToken', 'refresh_token', 'idToken'][i % 3]!,
  ),
);

const bearers = [
  '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  'AbCdEf123456_-.~+/xyzOpaque',
  'ya29.a0AfH6SMBxCorpusOpaqueGoogleToken',
  'dGhpcyBpcyBub3QgYSByZWFsIHRva2Vu',
  'mF_9.B5f-4.1JqM',
].map((t, i) =>
  secret(
    'bearer',
    t,
    [
      `Authorization: Bearer ${t}`,
      `upstream said 401 for bearer ${t}`,
      `curl -H "Authorization: Bearer ${t}" https://api.example.com`,
    ][i % 3]!,
    'authorization',
    `Bearer ${t}`,
  ),
);

const cards = [
  '4111 1111 1111 1111',
  '4012888888881881',
  '5555-5555-5555-4444',
  '2223003122003222',
  '3782 822463 10005',
  '6011111111111117',
  '3530 1113 3330 0000',
  '30569309025904',
  '6200000000000005',
  '4111 1111 1111 1111 003',
].map((c, i) =>
  secret(
    'card',
    c,
    [`charge failed for card ${c}`, `card=${c}`, `pan: ${c} (exp 12/29)`][i % 3]!,
    ['cardNumber', 'card_number', 'pan'][i % 3]!,
  ),
);

const passwords: CorpusSecret[] = [
  secret('password', 'Tr0ub4dor&3-corpus', 'login failed: password=Tr0ub4dor&3-corpus', 'password'),
  secret(
    'password',
    'correct horse battery staple 42',
    'body {"email":"x@example.com","password":"correct horse battery staple 42"}',
    'password',
  ),
  secret('password', 'p@ssw0rd!Corpus#1', 'DB_PASSWORD: p@ssw0rd!Corpus#1', 'dbPassword'),
  secret('password', 'hunter2hunter2', "{ passphrase: 'hunter2hunter2' }", 'passphrase'),
  secret('password', 'ñandú-Contraseña-9', 'new_password=ñandú-Contraseña-9', 'newPassword'),
  secret('password', 'x9$Kq!2vLz', 'client_secret = x9$Kq!2vLz', 'clientSecret'),
];

const awsCredential = glue(
  'AKIA',
  'CORPUSEXAMPLE7Q',
  '%2F20261105%2Fus-east-1%2Fs3%2Faws4_request',
);
const signedUrls: CorpusSecret[] = [
  [
    'X-Amz-Signature',
    '0aaa2935aa9fef2a89219e2d4f6f130f046b2cdd4df36ba9d50c7ed41ad32145',
    (v: string) =>
      `https://uploads.s3.amazonaws.com/u/1.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261105T102030Z&X-Amz-Expires=300&X-Amz-Signature=${v}`,
  ],
  [
    'X-Amz-Credential',
    awsCredential,
    (v: string) => `http://127.0.0.1:9000/uploads/k?X-Amz-Credential=${v}&X-Amz-SignedHeaders=host`,
  ],
  [
    'token',
    'Zm9vYmFyLXN1cGFiYXNlLXNpZ25lZC11cmwtdG9rZW4',
    (v: string) => `https://abc.supabase.co/storage/v1/object/upload/sign/uploads/a.png?token=${v}`,
  ],
  [
    'X-Goog-Signature',
    'f01c15c53c5ea1d4fdced68d9e57aadf303c65d18279a73dabc9adf6778f5136',
    (v: string) =>
      `https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=${v}`,
  ],
  [
    'sig',
    'ImgS4A8YokqtzNnG9Lp1C4sB6S9cnRnquU6gwRw2%3D',
    (v: string) =>
      `https://acct.blob.core.windows.net/c/b.png?sv=2024-05-04&se=2026-11-05&sp=r&sig=${v}`,
  ],
  [
    'signature',
    '-p5JtKewlJt758Pj-SmOHCmAqnfxB8r5',
    (v: string) => `https://cdn.example.com/f.pdf?expires=1762337430&signature=${v}`,
  ],
].map(([_param, value, url], i) => {
  const v = value as string;
  const full = (url as (v: string) => string)(v);
  return secret(
    'signed-url',
    v,
    [`GET ${full} -> 403`, `download url: ${full}`][i % 2]!,
    'downloadUrl',
    full,
  );
});

const phones = [
  '+1 (415) 555-2671',
  '+44 20 7946 0958',
  '415-555-0132',
  '(212) 555-0199',
  '+4915112345678',
  '415.555.0100',
  '+33 1 42 68 53 00',
  '1-800-555-0199',
  '+61 2 9374 4000',
].map((p, i) =>
  secret(
    'phone',
    p,
    [`call me at ${p}`, `SMS to ${p} failed`, `contact ${p} tomorrow`][i % 3]!,
    ['phone', 'phoneNumber', 'mobile'][i % 3]!,
  ),
);
phones.push(secret('phone', '030 12345678', 'phone: 030 12345678', 'phone'));

const apiKeys = [
  glue('sk_', 'live_', '51CorpusFakeKeyAbCdEf0123456789'),
  glue('sk-', 'proj-', 'CorpusFakeOpenAiKey_0123456789abcdef'),
  glue('gh', 'p_', 'CorpusFakeGithubToken0123456789abcdEF'),
  glue('xo', 'xb-', '1234567890-0987654321-CorpusFakeSlack'),
  glue('AK', 'IA', 'CORPUSFAKE2KEY7Q'),
  glue('AI', 'za', 'SyCorpusFakeGoogleKey_0123456789abc'),
  glue('sb', 'p_', '0123456789abcdef0123456789abcdef01234567'),
  glue('SG', '.CorpusFakeSendGrid01', '.CorpusFakeSendGridSecret0123456789'),
  '3b1f0c9e7d5a4c2e8f6a1b3d5c7e9f02',
].map((k, i) =>
  secret(
    'api-key',
    k,
    i === 8
      ? `api_key=${k}`
      : [`using key ${k}`, `x-api-key: ${k}`, `config {"apiKey":"${k}"}`][i % 3]!,
    ['apiKey', 'x-api-key', 'api_key'][i % 3]!,
  ),
);

const urlCredentials: CorpusSecret[] = [
  secret(
    'url-credentials',
    'S3cr3tPg!pass',
    'connect ECONNREFUSED postgres://app:S3cr3tPg!pass@db.example.com:5432/app',
    'databaseUrl',
    'postgres://app:S3cr3tPg!pass@db.example.com:5432/app',
  ),
  secret(
    'url-credentials',
    'r3d1sP4ssw0rdCorpus',
    'redis error at redis://default:r3d1sP4ssw0rdCorpus@redis.railway.internal:6379',
    'redisUrl',
    'redis://default:r3d1sP4ssw0rdCorpus@redis.railway.internal:6379',
  ),
];

const cookies: CorpusSecret[] = [
  secret(
    'cookie',
    'sessCorpusValue7f3a9c',
    'Cookie: theme=dark; sb-session=sessCorpusValue7f3a9c',
    'cookie',
    'theme=dark; sb-session=sessCorpusValue7f3a9c',
  ),
  secret(
    'cookie',
    'refreshCorpusValue0b1c2d',
    'set-cookie: sb-refresh=refreshCorpusValue0b1c2d; HttpOnly; Secure',
    'set-cookie',
    'sb-refresh=refreshCorpusValue0b1c2d; HttpOnly; Secure',
  ),
];

const keyBody = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCorpusFakeKey';
const privateKey = [
  glue('-----BEGIN ', 'PRIVATE KEY-----'),
  keyBody,
  glue('-----END ', 'PRIVATE KEY-----'),
].join('\n');

/** At least 50 secrets of every kind the scrubber claims to catch. */
export const SECRET_CORPUS: readonly CorpusSecret[] = Object.freeze([
  ...emails,
  ...jwts,
  ...bearers,
  ...cards,
  ...passwords,
  ...signedUrls,
  ...phones,
  ...apiKeys,
  ...urlCredentials,
  ...cookies,
  secret('private-key', keyBody, `loaded key ${privateKey}`, 'privateKey', privateKey),
]);

/** Ordinary operational text that must come out unchanged (no over-scrubbing). */
export const SAFE_TEXTS: readonly string[] = Object.freeze([
  'upload 3f2b8c1e-9d4a-4e6b-8f1a-2c3d4e5f6a7b ready',
  'request 12345678-1234-4234-8234-123456789012 completed',
  'at 2026-11-05T10:20:30.123Z',
  'took 1532 ms',
  'durationMs=87',
  'size 10485760 bytes',
  'epoch 1762337430123',
  'big id 9007199254740993',
  'not a card 4111111111111112',
  'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'listening on 127.0.0.1:54322',
  'node v24.21.0, @sentry/node@11.12.0',
  'GET /v1/uploads/3f2b8c1e-9d4a-4e6b-8f1a-2c3d4e5f6a7b/download 200',
  'status=ready reason=magic-bytes',
  'content-type image/png',
  'object key uploads/8d0c5a52/2026/11/photo.png',
  'the session token expired',
  'Basic authentication is disabled',
  'retry 3 of 5 in 250 ms',
  'queue uploads: 42 waiting, 7 active',
  'job process-upload failed after 3 attempts',
  'redis://127.0.0.1:6380',
]);

const digitsOf = (s: string): string => s.replace(/\D/g, '');

/** The strings whose presence in some output means `s` leaked. */
export function leakFragments(s: CorpusSecret): string[] {
  const out = [s.secret, JSON.stringify(s.secret).slice(1, -1)];
  if (s.kind === 'card' || s.kind === 'phone') out.push(digitsOf(s.secret));
  // Half a passphrase is still a leak. (Not for numbers: a group of a card number is no secret
  // on its own, and "10005" turns up in timestamps.)
  if (s.kind === 'password') {
    for (const word of s.secret.split(/\s+/))
      if (word.length >= 5 && word !== s.secret) out.push(word);
  }
  return out;
}

/**
 * Every corpus secret found in `text` (a log line, an envelope, a response body). Card and
 * phone numbers are also looked for with their separators changed: the digits of every run of
 * digits, spaces and ().+-/ are compared, so "4111-1111…" is found in "4111 1111…".
 */
export function findLeaks(text: string): CorpusSecret[] {
  const runs = (text.match(/\d[\d\s().+/-]*/g) ?? []).map(digitsOf).join('|');
  return SECRET_CORPUS.filter((s) =>
    leakFragments(s).some((f) => (/^\d+$/.test(f) ? runs.includes(f) : text.includes(f))),
  );
}

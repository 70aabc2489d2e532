/**
 * pino `redact` paths: the first, structural layer. Explicit paths only where secrets really
 * sit (a leading wildcard makes every log call pay — see the README's numbers); pino redacts
 * per top-level key, so a path costs nothing on lines that do not carry its root.
 * Whatever hides deeper is caught by the second layer (scrubValue's key and value rules).
 */
const SECRET_FIELDS = [
  'password',
  'token',
  'access_token',
  'refresh_token',
  'secret',
  'apiKey',
  'api_key',
  'email',
  'phone',
] as const;

const REQUEST_HEADERS = [
  'authorization',
  'cookie',
  'x-api-key',
  'proxy-authorization',
  'x-auth-token',
] as const;

const at = (root: string, field: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(field) ? `${root}.${field}` : `${root}["${field}"]`;

export const REDACT_PATHS: readonly string[] = Object.freeze([
  // Top-level fields of the object passed to a log call: logger.info({ email }, '…').
  ...SECRET_FIELDS,
  'authorization',
  'cookie',
  // HTTP, as pino-http and hand-written request logs shape it.
  ...REQUEST_HEADERS.map((h) => at('req.headers', h)),
  ...REQUEST_HEADERS.map((h) => at('headers', h)),
  at('headers', 'set-cookie'),
  at('res.headers', 'set-cookie'),
  ...SECRET_FIELDS.map((f) => at('req.body', f)),
  ...SECRET_FIELDS.map((f) => at('body', f)),
  // Users and job payloads. (Errors are left to the err serializer: a path under `err` would
  // make every error line pay for a redaction pass that the serializer already does.)
  ...SECRET_FIELDS.map((f) => at('user', f)),
  ...SECRET_FIELDS.map((f) => at('data', f)),
  ...SECRET_FIELDS.map((f) => at('job.data', f)),
]);

/** What a redacted path is replaced with. */
export const REDACT_CENSOR = '[redacted]';

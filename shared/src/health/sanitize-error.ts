const MAX_ERROR_LENGTH = 200;

// Health output is public to anyone who can reach the port, so error texts are reduced to what
// helps an operator (what failed, which host:port) and stripped of anything credential-shaped.
const REPLACEMENTS: readonly [RegExp, string][] = [
  // Any URL or connection string: may carry user:password, tokens or signed query strings.
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>`]+/gi, '[url]'],
  // user:password@host without a scheme.
  [/[^\s:@/'"]+:[^\s@/'"]+@(?=[^\s@]+)/g, '[credentials]@'],
  // key=value / key: value pairs naming a secret (libpq strings, driver messages).
  [
    /\b(password|passwd|pwd|pass|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|authorization|auth|credentials?)\b(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
    '$1$2[redacted]',
  ],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  // JWTs and e-mail addresses (personal data) that slip into messages.
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[jwt]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
];

/** Strips credentials and URLs from free text, flattens it to one line and caps its length. */
export function sanitizeErrorText(text: string, maxLength = MAX_ERROR_LENGTH): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const [pattern, replacement] of REPLACEMENTS) out = out.replace(pattern, replacement);
  return out.length > maxLength ? `${out.slice(0, maxLength - 1)}…` : out;
}

const messageOf = (err: unknown): string => {
  if (typeof err === 'string') return err;
  if (!(err instanceof Error)) return '';
  // Node's connect errors (happy eyeballs, family 0) are AggregateErrors with an empty message.
  if (!err.message && err instanceof AggregateError && err.errors.length > 0) {
    return messageOf(err.errors[0]);
  }
  const code = (err as { code?: unknown }).code;
  if (!err.message && typeof code === 'string') return code;
  return err.message;
};

/** The text a failed check reports: the error's message (never its stack), sanitised. */
export function describeCheckError(err: unknown): string {
  return sanitizeErrorText(messageOf(err)) || 'check failed';
}

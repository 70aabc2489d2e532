import { redactCardNumbers } from './card-numbers.ts';
import { JWT_RUN, redactJwtsInRun } from './jwt-tokens.ts';
import { SECRET_QUERY_PARAMS } from './secret-query-params.ts';

/**
 * One value-scrubbing rule for free text. `hint` is a cheap test (usually `includes`) that lets a
 * string skip the rule's regex entirely. Every rule runs in time linear in its input: each
 * quantifier is bounded or can only start where the previous run ended, and no two adjacent
 * quantifiers can match the same characters (no catastrophic backtracking on a 1 MB base64
 * blob). scrub-linearity.test.ts runs each rule on its worst input we know of, at n and 4n.
 */
export interface ScrubRule {
  readonly name: string;
  readonly hint: (s: string) => boolean;
  readonly pattern: RegExp;
  readonly replace: string | ((match: string, ...groups: string[]) => string);
}

const always = (): boolean => true;
const has =
  (...needles: string[]) =>
  (s: string): boolean =>
    needles.some((n) => s.includes(n));
const matches =
  (re: RegExp) =>
  (s: string): boolean =>
    re.test(s);

const UUID = '[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}';

/**
 * Keeps the quotes around a redacted quoted value (plain or backslash-escaped, as in JSON inside
 * a JSON string) so the surrounding text still reads as it did.
 */
const redactValue = (key: string, sep: string, value: string): string => {
  const q = value.startsWith('\\"') ? '\\"' : value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${key}${sep}${q}[redacted]${q}`;
};

const countDigits = (s: string): number => s.replace(/\D/g, '').length;

/** Applied in this order: the specific shapes first, so the broad ones see less. */
export const SCRUB_RULES: readonly ScrubRule[] = [
  {
    name: 'private-key',
    hint: has('-----BEGIN'),
    pattern:
      /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]{0,40}PRIVATE KEY-----|$)/g,
    replace: '[redacted:private-key]',
  },
  {
    // scheme://user:password@host — database and Redis URLs in connection errors.
    name: 'url-credentials',
    hint: (s) => s.includes('://') && s.includes('@'),
    pattern: /\b([a-zA-Z][a-zA-Z0-9+.-]{0,20}:\/\/)([^\s/?#@:]{0,256}):([^\s/?#]{1,512})@/g,
    replace: '$1$2:[redacted]@',
  },
  {
    // Signed URLs (S3/GCS presigned, Supabase, Azure SAS) and OAuth redirects carry the secret in the query.
    name: 'url-secret-params',
    hint: matches(/[?&;][\w-]{1,40}=/),
    pattern: new RegExp(
      `([?&;](?:${SECRET_QUERY_PARAMS.join('|')})=)(?!\\[redacted)[^&#\\s"'<>]{1,4096}`,
      'gi',
    ),
    replace: '$1[redacted]',
  },
  {
    name: 'bearer',
    hint: matches(/bearer/i),
    pattern: /\b(bearer)\s{1,10}(?!\[redacted)[A-Za-z0-9._~+/=-]{8,4096}/gi,
    replace: '$1 [redacted]',
  },
  {
    // Only base64-looking credentials: "Basic authentication failed" must survive.
    name: 'basic-auth',
    hint: matches(/basic/i),
    pattern:
      /\b(Basic|basic|BASIC)\s{1,10}(?=[A-Za-z0-9+/]{0,4096}(?:[0-9+/=]|[a-z][A-Z]))[A-Za-z0-9+/]{8,4096}={0,2}/g,
    replace: '$1 [redacted]',
  },
  {
    // Matches whole dotted runs and finds the token inside (jwt-tokens.ts): a regex starting at
    // every `eyJ` rescanned the run from each one (quadratic on `eyJ-eyJ-…`).
    name: 'jwt',
    hint: has('eyJ'),
    pattern: JWT_RUN,
    replace: redactJwtsInRun,
  },
  {
    // Provider keys with a recognisable prefix (Stripe, OpenAI, GitHub, Slack, AWS, Google, Supabase, npm, SendGrid, Sentry, GitLab).
    name: 'api-key',
    // The prefixes alone: a quick scan that spares most strings the full alternation.
    hint: matches(
      /[spr]k[_-]|gh[pousr]_|github_pat_|xox|AKIA|ASIA|AIza|sbp_|sb_secret_|npm_|whsec_|SG\.|sntrys_|glpat-/,
    ),
    pattern:
      /\b(?:(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,256}|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,256}|gh[pousr]_[A-Za-z0-9]{30,256}|github_pat_[A-Za-z0-9_]{20,256}|xox[abposr]-[A-Za-z0-9-]{10,256}|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|sbp_[a-f0-9]{20,256}|sb_secret_[A-Za-z0-9_-]{10,256}|npm_[A-Za-z0-9]{30,256}|whsec_[A-Za-z0-9+/=]{20,256}|SG\.[A-Za-z0-9_-]{16,256}\.[A-Za-z0-9_-]{16,256}|sntrys_[A-Za-z0-9+/=_-]{20,1024}|glpat-[A-Za-z0-9_-]{20,256})/g,
    replace: '[redacted:api-key]',
  },
  {
    // key=value, key: value and "key":"value" where the key names a secret (db_password=…, csrf_token: …).
    name: 'secret-assignment',
    hint: matches(/pass|secret|token|key|session/i),
    pattern:
      /(?<![\w-])([\w-]{0,40}?(?:password|passwd|passphrase|secret|token|api[_-]?key|private[_-]?key|session[_-]?id))(\\?["']?\s{0,10}[:=]\s{0,10})(\\"(?:(?!\\")[^\n]){0,4096}\\"|"[^"\n]{0,4096}"|'[^'\n]{0,4096}'|(?!\[redacted)[^\s"']{1,4096})/gi,
    replace: (_m: string, key: string, sep: string, value: string) => redactValue(key, sep, value),
  },
  {
    // phone: 030 1234567 — any national format, when the text names it a phone number.
    name: 'phone-assignment',
    hint: matches(/phone|mobile|tel/i),
    pattern:
      /(?<![\w-])([\w-]{0,40}?(?:phone|mobile|tel))(\\?["']?\s{0,10}[:=]\s{0,10}["']?)([+\d(][\d() ./-]{4,30}\d)/gi,
    replace: '$1$2[redacted:phone]',
  },
  {
    // Authorization and Cookie header values run to the end of the line (or quote): whatever the
    // scheme (Basic, Digest, Negotiate…) and however many cookies, all of it goes.
    name: 'auth-header',
    hint: matches(/authorization|cookie/i),
    pattern:
      /(?<![\w-])((?:proxy-)?authorization|(?:set-)?cookie)(\\?["']?\s{0,10}[:=]\s{0,10})(\\"(?:(?!\\")[^\n]){0,8192}\\"|"[^"\n]{0,8192}"|'[^'\n]{0,8192}'|(?!\[redacted)[^\r\n]{1,8192})/gi,
    replace: (_m: string, key: string, sep: string, value: string) => redactValue(key, sep, value),
  },
  {
    // Also URL-encoded (a%40b.com), as emails sit in logged URLs and query strings.
    name: 'email',
    hint: has('@', '%40'),
    pattern:
      /[A-Za-z0-9._%+-]{1,64}(?:@|%40)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g,
    replace: '[redacted:email]',
  },
  {
    // UUIDs are matched first and kept, so a digit-only UUID group never looks like a card.
    name: 'card',
    // At least 13 digits in a row (single spaces or dashes between them allowed): shorter digit
    // runs — most UUIDs, timestamps, line numbers in stacks — skip the rule's costly pattern.
    hint: matches(/\d(?:[ -]?\d){12}/),
    pattern: new RegExp(`\\b${UUID}\\b|(?<![\\w.+])\\d(?:[ -]?\\d){12,30}(?!\\w|-\\d)`, 'g'),
    replace: (m: string) => (m.length === 36 && m[8] === '-' ? m : redactCardNumbers(m)),
  },
  {
    // International numbers: +<country> then groups, 8–15 digits in all (E.164). Digit runs
    // are taken whole (a separator or a parenthesis between groups): splitting one run into
    // groups of 1–4 in every possible way cost 5 ms per KB of `+1111…` text.
    name: 'phone-international',
    hint: has('+'),
    pattern: /(?<![\w+])\+\d+(?:[ .-]?\(\d+\)\d*|[ .-]\d+)*(?!\w)/g,
    replace: (m: string) => {
      const n = countDigits(m);
      return n >= 8 && n <= 15 ? '[redacted:phone]' : m;
    },
  },
  {
    // North American numbers written with separators: (415) 555-2671, 415-555-2671, 1-800-555-0199.
    name: 'phone-nanp',
    hint: always,
    pattern: /(?<![\w+(.-])(?:1[ .-])?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\w|[.-]\d)/g,
    replace: '[redacted:phone]',
  },
];

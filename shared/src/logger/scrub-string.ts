import { SCRUB_RULES } from './scrub-rules.ts';

/**
 * Two quick tests that together say "no rule can match here". Most log strings ("request
 * completed", "/v1/uploads/:id") fail both and are returned untouched without running a dozen
 * regexes. Split in two because one case-insensitive alternation of everything is slower.
 * Together they must stay a superset of every rule's trigger: a rule they miss never runs.
 */
const SUSPICIOUS_SHAPE = /[@=+]|%40|\d{3}[ .)-]{0,2}\d{3}|\d[ -]\d{3}|eyJ|-----BEGIN/;
const SUSPICIOUS_WORD =
  /b(?:earer|asic)|pass|secret|token|key|authoriz|session|cookie|phone|mobile|\btel|sk[_-]|[pr]k_|gh[pousr]_|github_pat|xox|a(?:kia|sia|iza)|sb(?:p_|_secret)|npm_|whsec_|sg\.|sntrys_|glpat-/i;

const UUID_ONLY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** No rule matches fewer characters than this ("a@b.co"). */
const MIN_SECRET_LENGTH = 6;

/**
 * Long strings found clean, remembered: the same stack frames and messages come back line
 * after line (an error repeating through an outage), and a lookup costs a fraction of the two
 * scans. Only clean strings are kept — nothing secret stays in memory because of the cache —
 * and only a bounded number of them (oldest dropped first).
 */
const CACHE_MIN_LENGTH = 64;
const CACHE_MAX_LENGTH = 4096;
const CACHE_ENTRIES = 256;
const knownClean = new Set<string>();

function rememberClean(s: string): void {
  if (knownClean.size >= CACHE_ENTRIES) {
    const oldest = knownClean.values().next();
    if (!oldest.done) knownClean.delete(oldest.value);
  }
  knownClean.add(s);
}

/**
 * The most of one string the scrubber reads (and the log keeps): 16 KiB. Every rule is linear,
 * but a client still must not choose how much work a log line costs, and a 1 MB body echoed
 * into an error message is no use in a log either. What is cut is dropped, never logged raw.
 */
export const MAX_SCRUB_CHARS = 16 * 1024;
export const TRUNCATION_MARK = '…[truncated]';

/** Characters a secret's text can be made of: a cut ends before the last run of them. */
const isTokenChar = (c: number): boolean => c > 32 && c !== 34 && c !== 39 && c !== 44;

/**
 * Cuts a string to MAX_SCRUB_CHARS, then drops the token the cut went through: a JWT or key cut
 * in half no longer has the shape its rule recognises, so its first half must not stay.
 */
export function truncateForScrub(s: string): string {
  if (s.length <= MAX_SCRUB_CHARS) return s;
  // The mark fits inside the limit, so a truncated string passes through a second time as is.
  let end = MAX_SCRUB_CHARS - TRUNCATION_MARK.length;
  while (end > 0 && isTokenChar(s.charCodeAt(end - 1))) end -= 1;
  return s.slice(0, end) + TRUNCATION_MARK;
}

/**
 * Replaces secrets and personal data in free text: emails, JWTs, bearer/basic credentials,
 * Luhn-valid card numbers, signed-URL signatures, URL credentials, provider API keys,
 * `password=…`-style assignments, Authorization/Cookie headers, private keys and phone
 * numbers. Idempotent. Strings longer than MAX_SCRUB_CHARS are cut first (truncateForScrub).
 */
export function scrubString(input: string): string {
  if (input.length < MIN_SECRET_LENGTH) return input;
  const s = truncateForScrub(input);
  // Ids are most of the strings in a log line (request, user, upload, job ids) and never a secret.
  if (s.length === 36 && UUID_ONLY.test(s)) return s;
  const long = s.length >= CACHE_MIN_LENGTH && s.length <= CACHE_MAX_LENGTH;
  if (long && knownClean.has(s)) return s;
  if (!SUSPICIOUS_SHAPE.test(s) && !SUSPICIOUS_WORD.test(s)) {
    if (long) rememberClean(s);
    return s;
  }
  let out = s;
  for (const rule of SCRUB_RULES) {
    if (!rule.hint(out)) continue;
    rule.pattern.lastIndex = 0;
    // Both replace overloads accept the union at runtime; TypeScript wants one at a time.
    out =
      typeof rule.replace === 'string'
        ? out.replace(rule.pattern, rule.replace)
        : out.replace(rule.pattern, rule.replace);
  }
  return out;
}

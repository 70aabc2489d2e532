/**
 * For each scrub rule, the input we know of that makes it work hardest per byte: many places
 * where a match could start, each one scanning as far as its quantifiers allow before failing.
 * The linearity test runs every rule on these at n and 4n bytes; the logger benchmark reports
 * their cost per KB against plain pino; the corpus test logs them. A rule without an entry
 * fails the linearity test, so a new rule must bring its own.
 */
const fill = (unit: string, bytes: number): string =>
  unit.repeat(Math.max(1, Math.ceil(bytes / unit.length))).slice(0, bytes);

export const ADVERSARIAL_INPUTS: Readonly<Record<string, (bytes: number) => string>> = {
  'private-key': (n) => fill(`-----BEGIN ${'A'.repeat(30)} `, n),
  // The `@` that would complete a match comes only at the very end.
  'url-credentials': (n) => `${fill(`s://u:${'p'.repeat(500)} `, n - 1)}@`,
  'url-secret-params': (n) => fill('?token=&sig=', n),
  bearer: (n) => fill(`Bearer ${'x'.repeat(7)} `, n),
  'basic-auth': (n) => `basic ${fill('a', n - 6)}`,
  // The one the issue measured: a path of `eyJ-` segments (90 ms per 16 KB before the fix).
  jwt: (n) => fill('eyJ-', n),
  'api-key': (n) => fill(`sk-${'a'.repeat(19)} `, n),
  'secret-assignment': (n) => fill(`token=\\"${'a'.repeat(50)}`, n),
  'phone-assignment': (n) => fill(`phone: ${'1 '.repeat(20)}`, n),
  'auth-header': (n) => fill(`cookie="${'a'.repeat(100)}`, n),
  email: (n) => fill('a%40', n),
  card: (n) => fill('1-', n),
  // Digit runs a group-of-1-to-4 pattern could split in thousands of ways (5 ms per KB before).
  'phone-international': (n) => fill(`+${'1'.repeat(30)} `, n),
  'phone-nanp': (n) => fill('(123) 456 ', n),
};

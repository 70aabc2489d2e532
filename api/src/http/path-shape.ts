// Words a path of this API (or a probe of it) is made of: `v1`, `uploads`, `health`, `.env`.
// Anything else — ids, tokens, emails, whatever a client put there — is not logged.
const WORD = /^\.?[A-Za-z][A-Za-z_-]{0,31}\d{0,2}(\.[A-Za-z]{1,8})?$/;

/**
 * The path of a request no route matched, for the access log: segments that look like words
 * stay, every other segment becomes `:value`. A path is client input: a reset link pasted into
 * the wrong host puts its token in a segment, and the log scrubber only knows the shapes of
 * well-known secrets (JWTs, API keys, emails), not an opaque random string.
 * Matched routes need none of this: their template says which segments are parameters.
 */
export function pathShape(path: string): string {
  if (path.length > 512) path = path.slice(0, 512);
  return path
    .split('/')
    .map((segment) => (segment === '' || WORD.test(segment) ? segment : ':value'))
    .join('/');
}

import { apiRoutes } from '@saas/shared/contracts';

/**
 * The literal segments of this API's own paths (`v1`, `uploads`, `health`…): the only words of
 * an unmatched path the access log keeps. A heuristic for "looks like a word" let through a
 * password (`correct-horse-battery-staple`) or a name; the route table cannot.
 */
export const KNOWN_SEGMENTS: ReadonlySet<string> = new Set(
  [
    ...Object.values(apiRoutes).map((r) => r.path),
    '/health/live',
    '/health/ready',
    '/metrics',
  ].flatMap((path) => path.split('/').filter((s) => s !== '' && !s.startsWith(':'))),
);

/**
 * The path of a request no route matched, for the access log: segments of the API's own
 * paths stay, every other segment becomes `:value`. A path is client input: a reset link
 * pasted into the wrong host puts its token in a segment, and the log scrubber only knows the
 * shapes of well-known secrets (JWTs, API keys, emails), not an opaque random string.
 * Matched routes need none of this: their template says which segments are parameters.
 */
export function pathShape(path: string, known: ReadonlySet<string> = KNOWN_SEGMENTS): string {
  const shape = path
    .slice(0, 512)
    .split('/')
    .map((segment) => (segment === '' || known.has(segment) ? segment : ':value'))
    .join('/');
  return shape.length > 512 ? shape.slice(0, shape.lastIndexOf('/', 512)) : shape;
}

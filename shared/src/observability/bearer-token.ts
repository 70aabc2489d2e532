import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Compares a given secret with the expected one in constant time, on SHA-256 digests: neither
 * the content nor the length of the expected secret leaks through timing.
 */
export const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));

/**
 * A check of `Authorization: Bearer <token>` against a configured token (METRICS_TOKEN), for
 * /metrics and the detailed health endpoints of the API and the worker. The comparison runs on
 * SHA-256 digests with timingSafeEqual: constant time, and the token's length does not leak.
 * Without a configured token every request passes (production refuses to start that way).
 */
export function createBearerCheck(
  token: string | undefined,
): (authorization: string | undefined) => boolean {
  if (!token) return () => true;
  const expected = digest(token);
  return (header) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    const given = digest(match?.[1] ?? '');
    // Always compare, even without a header, so the missing and wrong cases cost the same.
    return timingSafeEqual(given, expected) && match !== null;
  };
}

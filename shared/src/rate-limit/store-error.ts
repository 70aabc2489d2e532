/**
 * Thrown by the store when Redis cannot answer (down, refusing, or slower than the timeout).
 * The limiter tells it apart from other errors: only this one is subject to the
 * fail-open/closed policy; anything else (a key generator bug) goes to the app's error handler.
 */
export class RateLimitStoreError extends Error {
  readonly limiter: string;

  constructor(limiter: string, cause: unknown) {
    super(`rate-limit store unavailable (${limiter})`, { cause });
    this.name = 'RateLimitStoreError';
    this.limiter = limiter;
  }
}

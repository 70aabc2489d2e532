// Errors that mean "a dependency is down or overloaded", not "this request is wrong" nor "we
// have a bug": they become 503 with Retry-After, so clients and proxies back off and retry.

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // postgres.js
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
]);

// PostgreSQL SQLSTATEs: connection exceptions (08…), too many connections, shutting down,
// cannot connect now, and a database that is gone.
const PG_UNAVAILABLE = /^(08...|53300|57P01|57P02|57P03|3D000)$/;

// ioredis, when the connection is down and the offline queue is off (fail fast by design).
const REDIS_UNAVAILABLE =
  /Stream isn't writeable|Connection is closed|MaxRetriesPerRequest|Reached the max retries/i;

export function isDependencyUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_UNAVAILABLE.test(code)))
      return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    // The storage adapters' only error type: the object store failed or timed out.
    if (name === 'StorageError') return true;
    if (typeof message === 'string' && REDIS_UNAVAILABLE.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

import type { Redis } from 'ioredis';

/** An error whose text may go to logs and health output: no password, no URL credentials. */
export class RedisError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = 'RedisError';
    this.code = code;
  }
}

const URL_CREDENTIALS = /\b(rediss?:\/\/)[^\s/@]*@/gi;

/** Removes the connection's password (raw and URL-encoded) and URL credentials from `text`. */
export function scrubRedisText(text: string, redis: Pick<Redis, 'options'>): string {
  let out = text.replace(URL_CREDENTIALS, '$1***@');
  const pass = redis.options.password;
  if (typeof pass === 'string' && pass) {
    for (const form of new Set([pass, encodeURIComponent(pass)])) out = out.split(form).join('***');
  }
  return out;
}

export function toRedisError(
  err: unknown,
  context: string,
  redis: Pick<Redis, 'options'>,
): RedisError {
  const message = err instanceof Error ? err.message || err.name : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return new RedisError(
    `${context}: ${scrubRedisText(message, redis)}`,
    typeof code === 'string' ? code : undefined,
  );
}

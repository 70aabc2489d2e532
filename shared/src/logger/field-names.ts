import { isSensitiveKey } from './sensitive-keys.ts';
import { scrubString } from './scrub-string.ts';

export interface FieldName {
  /** The field's value is censored whatever it is. */
  readonly sensitive: boolean;
  /** The name itself, scrubbed (data used as a key, e.g. an email-keyed map). */
  readonly clean: string;
}

const cache = new Map<string, FieldName>();
const CACHE_LIMIT = 4096;

/**
 * What the value scrubber needs to know about a field name, cached: the same few dozen names
 * (requestId, durationMs, statusCode…) come back on every log line.
 */
export function fieldName(key: string): FieldName {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const info: FieldName = { sensitive: isSensitiveKey(key), clean: scrubString(key) };
  // The limit guards against data used as keys (ids, emails) growing the cache without bound.
  if (cache.size < CACHE_LIMIT) cache.set(key, info);
  return info;
}

import { isSecretQueryParam, isSensitiveKey, scrubString } from '../logger/index.ts';

const CENSOR = '[redacted]';

// Keeps the scrubber's markers ("[redacted:email]") readable in an encoded query.
const encode = (s: string): string =>
  encodeURIComponent(s).replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%3A/g, ':');

/**
 * Scrubs a query string (without the leading "?"): parameters with a sensitive name lose their
 * value, the others are decoded, scrubbed as text and re-encoded — so `email=a%40b.com` is
 * caught although the raw text holds no "@". Returned as it was when nothing changed.
 */
export function scrubQueryString(query: string): string {
  if (query === '') return query;
  const pairs = [...new URLSearchParams(query)];
  const clean = scrubQueryPairs(pairs);
  return clean === pairs ? query : clean.map(([n, v]) => `${encode(n)}=${encode(v)}`).join('&');
}

/** Scrubs decoded [name, value] pairs; returns the same array when nothing changed. */
export function scrubQueryPairs(pairs: [string, string][]): [string, string][] {
  let changed = false;
  const clean = pairs.map(([name, value]): [string, string] => {
    const v = isSensitiveKey(name) || isSecretQueryParam(name) ? CENSOR : scrubString(value);
    const n = scrubString(name);
    if (v !== value || n !== name) changed = true;
    return [n, v];
  });
  return changed ? clean : pairs;
}

/** Scrubs a URL: credentials and free text by the string rules, the query parameter by parameter. */
export function scrubUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return scrubString(url);
  const hash = url.indexOf('#', q);
  const end = hash < 0 ? url.length : hash;
  const query = scrubQueryString(url.slice(q + 1, end));
  return `${scrubString(url.slice(0, q))}?${query}${hash < 0 ? '' : scrubString(url.slice(hash))}`;
}

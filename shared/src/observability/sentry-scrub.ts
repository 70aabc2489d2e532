import type { Breadcrumb, Event, RequestEventData, User } from '@sentry/node';
import { isSensitiveKey, scrubValue } from '../logger/index.ts';
import { scrubQueryPairs, scrubQueryString, scrubUrl } from './scrub-url.ts';

/** Headers that carry the client's IP address: personal data, dropped with the user's IP. */
const IP_HEADERS = new Set([
  'x-forwarded-for',
  'x-real-ip',
  'forwarded',
  'cf-connecting-ip',
  'true-client-ip',
  'x-client-ip',
]);

/**
 * `beforeSend`: the logger's scrubber over the whole event (message,
 * exception values and stacks, frame variables, extra, contexts, tags, breadcrumbs), plus what
 * only Sentry has: the user is reduced to its id (no email, no IP, no username), the request
 * loses cookies, IP headers and env, its URL and query are scrubbed parameter by parameter.
 */
export function scrubSentryEvent<E extends Event>(event: E): E {
  const { user, request, breadcrumbs, ...rest } = event;
  const out = scrubValue(rest) as E;
  const keptUser = userIdOnly(user);
  if (keptUser) out.user = keptUser;
  if (request) out.request = scrubRequest(request);
  if (breadcrumbs) out.breadcrumbs = breadcrumbs.map(scrubBreadcrumb);
  return out;
}

/** `beforeBreadcrumb`: console lines, HTTP breadcrumbs (URLs with signatures) and custom data. */
export function scrubBreadcrumb(breadcrumb: Breadcrumb): Breadcrumb {
  const { data, ...rest } = breadcrumb;
  const out = scrubValue(rest) as Breadcrumb;
  if (data) out.data = scrubBreadcrumbData(data);
  return out;
}

/** HTTP breadcrumbs carry a URL and a bare query string: scrubbed parameter by parameter. */
function scrubBreadcrumbData(data: Record<string, unknown>): Record<string, unknown> {
  const { url, 'url.query': query, ...rest } = data;
  const out = scrubValue(rest) as Record<string, unknown>;
  if (url !== undefined) out.url = typeof url === 'string' ? scrubUrl(url) : scrubValue(url);
  if (query !== undefined)
    out['url.query'] = typeof query === 'string' ? scrubQueryString(query) : scrubValue(query);
  return out;
}

function userIdOnly(user: User | undefined): User | undefined {
  if (user?.id === undefined || user.id === null) return undefined;
  return { id: user.id };
}

function scrubRequest(request: RequestEventData): RequestEventData {
  const out: RequestEventData = {};
  if (request.method !== undefined) out.method = request.method;
  if (request.url !== undefined) out.url = scrubUrl(request.url);
  if (request.query_string !== undefined) out.query_string = scrubQuery(request.query_string);
  if (request.headers) out.headers = scrubHeaders(request.headers);
  if (request.data !== undefined) out.data = scrubValue(request.data);
  // cookies and env (REMOTE_ADDR) are dropped: session secrets and the client's IP.
  return out;
}

function scrubHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (IP_HEADERS.has(lower)) continue;
    out[name] = isSensitiveKey(lower) ? '[redacted]' : (scrubValue(value) as string);
  }
  return out;
}

function scrubQuery(
  query: NonNullable<RequestEventData['query_string']>,
): RequestEventData['query_string'] {
  if (typeof query === 'string') return scrubQueryString(query);
  if (Array.isArray(query)) return scrubQueryPairs(query);
  return Object.fromEntries(scrubQueryPairs(Object.entries(query)));
}

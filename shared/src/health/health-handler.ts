import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHealthEndpoints, type HealthEndpointsOptions } from './health-endpoints.ts';
import { viewFor } from './public-view.ts';
import { writeHealthResponse } from './write-health-response.ts';

/**
 * The same endpoints as createHealthRouter for a plain node:http server (the worker's).
 * Returns true when it took the request (a GET/HEAD on a health path), false to let the
 * caller route it elsewhere.
 */
export function createHealthHandler(
  options: HealthEndpointsOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const endpoints = createHealthEndpoints(options);
  const view = viewFor(options.showDetails);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const endpoint = endpoints.match(pathname);
    if (!endpoint) return false;
    const shown = view(req.headers.authorization);
    Promise.resolve()
      .then(endpoint)
      .then(
        (response) => writeHealthResponse(res, shown(response)),
        () => writeHealthResponse(res, { statusCode: 500, body: { status: 'fail' } }),
      )
      // Only reachable when the response was already broken (client gone): just drop it.
      .catch(() => res.destroy());
    return true;
  };
}

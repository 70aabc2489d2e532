import type { RequestHandler } from 'express';
import type { ApiMetrics } from '../metrics.ts';

/**
 * Duration histogram and in-flight gauge. The route label is the matched template
 * (`/v1/uploads/:id`), never the raw path: raw paths would make one series per id.
 * Requests that matched no route (404, or refused before routing) share `unmatched`.
 * Per-request cost matters here: the labelled children are cached (prom-client hashes the
 * label set on every observe otherwise) and the gauge reads a plain counter when scraped.
 */
export const httpMetrics = (
  metrics: Pick<ApiMetrics, 'httpDuration' | 'inFlight'>,
): RequestHandler => {
  type Child = ReturnType<ApiMetrics['httpDuration']['labels']>;
  const children = new Map<string, Child>();
  const child = (method: string, route: string, status: number): Child => {
    const key = `${method} ${status} ${route}`;
    let c = children.get(key);
    if (!c) {
      c = metrics.httpDuration.labels({ method, route, status_code: String(status) });
      children.set(key, c);
    }
    return c;
  };
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    metrics.inFlight.inc();
    res.once('close', () => {
      metrics.inFlight.dec();
      child(req.method, routeTemplate(req), res.statusCode).observe(
        Number(process.hrtime.bigint() - start) / 1e9,
      );
    });
    next();
  };
};

/** All routers are mounted at the root with full paths, so route.path is the whole template. */
export const routeTemplate = (req: { route?: { path?: unknown } }): string =>
  typeof req.route?.path === 'string' ? req.route.path : 'unmatched';

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { createBearerCheck } from './bearer-token.ts';

export interface MetricsHandlerOptions {
  /** Bearer token required to scrape. Unset: /metrics is open (keep it off the public network). */
  token?: string | undefined;
}

/** A (req, res) handler: mount it with Express (`app.get('/metrics', h)`) or call it from node:http. */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves the registry in Prometheus text format. With a token, a request without
 * `Authorization: Bearer <token>` gets 401 and `WWW-Authenticate: Bearer`. The comparison is
 * createBearerCheck's: constant time, and the token's length does not leak.
 */
export function createMetricsHandler(
  registry: Registry,
  opts: MetricsHandlerOptions | string = {},
): MetricsHandler {
  const token = typeof opts === 'string' ? opts : opts.token;
  const authorized = createBearerCheck(token);
  return (req, res) => {
    if (!authorized(req.headers.authorization)) {
      res.writeHead(401, {
        'WWW-Authenticate': 'Bearer realm="metrics"',
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end('Unauthorized\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed\n');
      return;
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => {
        // A collector threw: say so without its message (it may name a connection string).
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('metrics collection failed\n');
      },
    );
  };
}

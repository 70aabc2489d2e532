import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface MetricsHandlerOptions {
  /** Bearer token required to scrape. Unset: /metrics is open (keep it off the public network). */
  token?: string | undefined;
}

/** A (req, res) handler: mount it with Express (`app.get('/metrics', h)`) or call it from node:http. */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Serves the registry in Prometheus text format. With a token, a request without
 * `Authorization: Bearer <token>` gets 401 and `WWW-Authenticate: Bearer`. The comparison runs
 * on SHA-256 digests with timingSafeEqual: constant time, and the token's length does not leak.
 */
export function createMetricsHandler(
  registry: Registry,
  opts: MetricsHandlerOptions | string = {},
): MetricsHandler {
  const token = typeof opts === 'string' ? opts : opts.token;
  const expected = token ? digest(token) : undefined;
  return (req, res) => {
    if (expected && !authorized(req.headers.authorization, expected)) {
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

function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const given = digest(match?.[1] ?? '');
  // Always compare, even without a header, so the missing and wrong cases cost the same.
  return timingSafeEqual(given, expected) && match !== null;
}

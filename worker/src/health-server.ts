import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHealthHandler, type HealthRegistry } from '@saas/shared/health';
import type { Logger } from '@saas/shared/logger';

export interface HealthServerOptions {
  registry: HealthRegistry;
  /** The lifecycle's readiness flag: /health/ready turns 503 the moment shutdown begins. */
  isReady: () => boolean;
  readinessChecks: readonly string[];
  /** The body of GET /metrics (Prometheus text format). */
  renderMetrics: () => Promise<string>;
  /** METRICS_TOKEN: when set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
  logger: Logger;
}

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'application/json; charset=utf-8',
): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * The worker's only HTTP surface, on its own port: /health/live, /health/ready, /health,
 * /health/:check (the shared probe semantics) and /metrics. Plain node:http: no framework for
 * four routes, and nothing here may ever block job processing.
 */
export function createHealthServer(opts: HealthServerOptions): Server {
  const health = createHealthHandler({
    registry: opts.registry,
    isReady: opts.isReady,
    readinessChecks: opts.readinessChecks,
  });

  const metrics = (req: IncomingMessage, res: ServerResponse): void => {
    if (opts.metricsToken) {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!sameSecret(token, opts.metricsToken)) {
        res.setHeader('www-authenticate', 'Bearer');
        send(res, 401, JSON.stringify({ error: 'metrics token required' }));
        return;
      }
    }
    opts.renderMetrics().then(
      (text) => send(res, 200, req.method === 'HEAD' ? '' : text, PROMETHEUS_CONTENT_TYPE),
      (err: unknown) => {
        opts.logger.error({ err }, 'metrics rendering failed');
        send(res, 500, JSON.stringify({ error: 'metrics unavailable' }));
      },
    );
  };

  const server = createServer((req, res) => {
    if (health(req, res)) return;
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      metrics(req, res);
      return;
    }
    send(res, 404, JSON.stringify({ error: 'not found' }));
  });
  // Probes and scrapes are short; an idle client must not hold a socket (or the shutdown) long.
  server.keepAliveTimeout = 5000;
  server.requestTimeout = 10_000;
  return server;
}

/** Listens and resolves with the bound port (PORT=0 picks a free one, for tests). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

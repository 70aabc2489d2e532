import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHealthHandler, type HealthRegistry } from '@saas/shared/health';
import type { Logger } from '@saas/shared/logger';
import { createBearerCheck } from '@saas/shared/observability';

export interface HealthServerOptions {
  registry: HealthRegistry;
  /** The lifecycle's readiness flag: /health/ready turns 503 the moment shutdown begins. */
  isReady: () => boolean;
  readinessChecks: readonly string[];
  /** The body of GET /metrics (Prometheus text format). */
  renderMetrics: () => Promise<string>;
  /**
   * METRICS_TOKEN: when set, /metrics and the full health report want `Authorization: Bearer
   * <token>` (the public health answers say up/down only). Production refuses to start without.
   */
  metricsToken?: string;
  logger: Logger;
}

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

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
  // The shared comparison (constant time on digests; the API's /metrics uses the same).
  const authorized = createBearerCheck(opts.metricsToken);
  const health = createHealthHandler({
    registry: opts.registry,
    isReady: opts.isReady,
    readinessChecks: opts.readinessChecks,
    showDetails: authorized,
  });

  const metrics = (req: IncomingMessage, res: ServerResponse): void => {
    if (!authorized(req.headers.authorization)) {
      res.setHeader('www-authenticate', 'Bearer');
      send(res, 401, JSON.stringify({ error: 'metrics token required' }));
      return;
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

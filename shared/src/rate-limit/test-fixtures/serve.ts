import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';

export interface Served {
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A plain Express 5 app with the given middleware in front of `GET /*`, listening on a free
 * loopback port: the limiter is exercised over real HTTP, as a proxy or browser would.
 */
export async function serve(
  middleware: RequestHandler[],
  opts: { trustProxy?: number } = {},
): Promise<Served> {
  const app = express();
  app.set('trust proxy', opts.trustProxy ?? 0);
  app.use(...middleware);
  // `GET /status/503`: a route answering that status, for what counts towards the limit.
  app.get('/status/:code', (req, res) => {
    res.status(Number(req.params.code)).json({ status: Number(req.params.code) });
  });
  app.get('/{*rest}', (_req, res) => {
    res.json({ ok: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    get: (path, headers) => fetch(`${url}${path}`, { headers }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

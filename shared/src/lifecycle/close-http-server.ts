import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface CloseHttpServerOptions {
  /**
   * Upper bound on how long a keep-alive socket stays open once idle during the drain (a socket
   * turns idle when its in-flight response ends). Default 250 ms.
   */
  idleTimeoutMs?: number;
  /**
   * After this, connections still open (in-flight requests included) are destroyed. Default:
   * wait for them; the lifecycle's hard timeout bounds the wait.
   */
  forceAfterMs?: number;
}

/**
 * Drains an HTTP server: stops accepting connections, lets in-flight requests finish, closes
 * keep-alive sockets as soon as they are idle. Resolves when the last connection is gone.
 */
export function closeHttpServer(
  server: Server,
  options: CloseHttpServerOptions = {},
): Promise<void> {
  const idleTimeoutMs = options.idleTimeoutMs ?? 250;
  // A request still arriving on an open keep-alive socket is served, with `Connection: close`
  // so the client opens its next request elsewhere (another replica) instead of reusing it.
  const markClosing = (_req: IncomingMessage, res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  return new Promise<void>((resolve, reject) => {
    server.prependListener('request', markClosing);
    // server.close() closes the sockets idle right now; responses finishing later leave idle
    // sockets that would otherwise wait out keepAliveTimeout (5 s by default).
    const sweep = setInterval(() => server.closeIdleConnections(), idleTimeoutMs);
    sweep.unref();
    const force =
      options.forceAfterMs === undefined
        ? undefined
        : setTimeout(() => server.closeAllConnections(), options.forceAfterMs);
    force?.unref();
    server.close((err) => {
      clearInterval(sweep);
      clearTimeout(force);
      server.off('request', markClosing);
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      if (err && code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

export interface ConnectionDrain {
  middleware: RequestHandler;
  /**
   * Shutdown began: every response not yet started (in-flight requests included) and every
   * later one says `Connection: close`, so clients take their next request elsewhere instead
   * of reusing a socket that is about to close.
   */
  begin(): void;
}

export function createConnectionDrain(): ConnectionDrain {
  const open = new Set<ServerResponse>();
  let draining = false;
  const markClose = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  return {
    middleware: (_req, res, next) => {
      if (draining) {
        markClose(res);
      } else {
        open.add(res);
        res.once('close', () => open.delete(res));
      }
      next();
    },
    begin() {
      draining = true;
      for (const res of open) markClose(res);
      open.clear();
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

// An inbound id is kept only when it cannot smuggle anything into logs or headers.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Keeps a safe inbound X-Request-Id (the web or a proxy started the trace) or makes one, and
 * echoes it so a user can quote it in a bug report.
 */
export const requestId = (): RequestHandler => (req, res, next) => {
  const inbound = req.headers['x-request-id'];
  const id = typeof inbound === 'string' && SAFE_REQUEST_ID.test(inbound) ? inbound : randomUUID();
  req.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};

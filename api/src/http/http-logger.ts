import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '@saas/shared/logger';
import { pinoHttp } from 'pino-http';
import { routeTemplate } from './http-metrics.ts';
import { pathShape } from './path-shape.ts';
import { validatedIds } from './validated-ids.ts';

// Probes and scrapes arrive every few seconds: log them only when they fail.
const QUIET_PATHS = /^\/(health(\/|$)|metrics$)/;

/**
 * One JSON line per request: requestId, method, route template, status, duration and the user
 * id when known. Never the raw path, headers (Authorization), the query string (signed URLs,
 * cursors) or bodies (emails at dev login): a matched route logs its template plus the path
 * parameters that are well-formed ids (`ids`), an unmatched one only the shape of its path
 * (pathShape). `GET /v1/uploads/<an IBAN>` is logged as `/v1/uploads/:id` with no ids. Kept cheap: no serializer wrapping, no serialized request
 * object, one child logger per request — pino-http's defaults cost a third of the throughput.
 */
export const httpLogger = (logger: Logger): RequestHandler => {
  const line = (
    req: IncomingMessage,
    res: ServerResponse,
    durationMs: number,
  ): Record<string, unknown> => {
    const r = req as Request;
    const route = routeTemplate(r);
    // A path is client input, matched or not: a parameter segment holds whatever was sent.
    const ids = route === 'unmatched' ? undefined : validatedIds(route, r.path);
    return {
      requestId: r.requestId,
      method: r.method,
      route,
      ...(route === 'unmatched' ? { path: pathShape(r.path) } : {}),
      ...(ids ? { ids } : {}),
      statusCode: res.statusCode,
      durationMs,
      ...(r.user ? { userId: r.user.id } : {}),
    };
  };
  const middleware = pinoHttp({
    logger,
    genReqId: (req) => (req as Request).requestId,
    // One child logger per request (pino-http always makes it): req.log, bound to the request
    // id only. The access line itself goes through the root logger (quietResLogger) with the
    // id in its fields — a second per-request child would cost more than the line itself.
    quietReqLogger: false,
    quietResLogger: true,
    wrapSerializers: false,
    customAttributeKeys: { req: 'requestId', responseTime: 'durationMs' },
    // Binds the request (pino-http's child) as its id; the id in a log line passes through.
    serializers: { requestId: (v: Request | string) => (typeof v === 'string' ? v : v.requestId) },
    customLogLevel: (req, res) => {
      if (res.statusCode >= 500) return 'error';
      if (res.statusCode < 400 && QUIET_PATHS.test((req as Request).path)) return 'silent';
      return 'info';
    },
    customSuccessObject: (req, res, val: { durationMs: number }) => line(req, res, val.durationMs),
    customErrorObject: (req, res, _err, val: { durationMs: number }) =>
      line(req, res, val.durationMs),
    customSuccessMessage: (_req, res) =>
      res.writableEnded ? 'request completed' : 'request aborted',
    customErrorMessage: () => 'request failed',
  });
  return middleware as unknown as RequestHandler;
};

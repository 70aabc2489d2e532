import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/** The parts of an Express request the span reads (structural: no Express import here). */
export interface TracedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  httpVersion: string;
  protocol?: string;
  /** Express's matched route and mount path, read when the response ends. */
  route?: { path?: unknown };
  baseUrl?: string;
  requestId?: string;
}

/**
 * One SERVER span per HTTP request, continuing an incoming W3C `traceparent` (the browser's):
 * the rest of the request (handlers, SQL, Redis, S3, the enqueue) runs inside it. Named
 * `METHOD route` once Express has matched a route (`GET /v1/uploads/:id`), so ids never become
 * span names; the raw path is not recorded either (it may hold ids a backend should group).
 */
export function requestSpans(
  tracer: Tracer,
): (req: TracedRequest, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          ...(req.protocol ? { 'url.scheme': req.protocol } : {}),
          'network.protocol.version': req.httpVersion,
        },
      },
      parent,
    );
    res.once('finish', () => end(req, res.statusCode));
    res.once('close', () => end(req, res.writableFinished ? res.statusCode : 499));
    let ended = false;
    function end(request: TracedRequest, status: number): void {
      if (ended) return;
      ended = true;
      const route = routeOf(request);
      span.updateName(route ? `${request.method} ${route}` : request.method);
      if (route) span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', status);
      if (request.requestId) span.setAttribute('request.id', request.requestId);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    context.with(trace.setSpan(parent, span), next);
  };
}

function routeOf(req: TracedRequest): string | undefined {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
}

import type { Request, Response } from 'express';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  type FieldError,
  type ProblemDetails,
} from '@saas/shared/contracts';

export interface ProblemInit {
  status: number;
  type: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  /** Response headers that belong to this error (Retry-After, WWW-Authenticate, Allow). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * An error that already knows its HTTP answer. Anything thrown that is not an HttpProblem is
 * classified by the error handler (client mistake, dependency down, or a bug = 500).
 */
export class HttpProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'HttpProblem';
    this.status = init.status;
    this.type = init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers;
  }
}

export const badRequest = (detail: string, errors?: FieldError[]): HttpProblem =>
  new HttpProblem({
    status: 400,
    type: PROBLEM_TYPES.validation,
    title: 'Invalid request',
    detail,
    errors,
  });

export const unauthorized = (detail = 'A valid bearer token is required.'): HttpProblem =>
  new HttpProblem({
    status: 401,
    type: PROBLEM_TYPES.unauthorized,
    title: 'Unauthorized',
    detail,
    headers: { 'WWW-Authenticate': 'Bearer' },
  });

export const notFound = (detail = 'No such resource.'): HttpProblem =>
  new HttpProblem({ status: 404, type: PROBLEM_TYPES.notFound, title: 'Not Found', detail });

export const conflict = (detail: string): HttpProblem =>
  new HttpProblem({ status: 409, type: PROBLEM_TYPES.conflict, title: 'Conflict', detail });

export const unavailable = (detail: string, retryAfterS = 5, cause?: unknown): HttpProblem =>
  new HttpProblem({
    status: 503,
    type: PROBLEM_TYPES.unavailable,
    title: 'Service Unavailable',
    detail,
    headers: { 'Retry-After': String(retryAfterS) },
    cause,
  });

/** Writes a problem+json answer; the request id ties it to the log line and any Sentry event. */
export function sendProblem(
  req: Request,
  res: Response,
  p: HttpProblem,
  extra?: Record<string, unknown>,
): void {
  if (res.headersSent) return;
  if (p.headers) for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
  const body: ProblemDetails = {
    type: p.type,
    title: p.title,
    status: p.status,
    ...(p.detail === undefined ? {} : { detail: p.detail }),
    instance: req.path,
    requestId: req.requestId,
    ...(p.errors === undefined ? {} : { errors: p.errors }),
    ...extra,
  };
  res.status(p.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '@saas/shared/logger';
import { PROBLEM_TYPES } from '@saas/shared/contracts';
import { bodyParserProblem } from './json-body.ts';
import { isDependencyUnavailable } from './dependency-errors.ts';
import { HttpProblem, sendProblem, unavailable } from './problem.ts';
import type { ErrorReporter } from './error-reporter.ts';
import { routeTemplate } from './http-metrics.ts';

export interface ErrorHandlerOptions {
  logger: Logger;
  reporter: ErrorReporter;
  /** Development only: the stack goes into the problem body to speed up debugging. */
  exposeStack: boolean;
  serializeError: (err: unknown) => unknown;
}

/**
 * The last middleware: every error becomes problem+json. Client mistakes are 4xx (never 500),
 * a dependency that is down is 503, and anything else is a bug: 500, logged with its stack and
 * sent to Sentry tagged with the request id and user id.
 */
export const errorHandler = (opts: ErrorHandlerOptions): ErrorRequestHandler => {
  return (err: unknown, req, res, _next) => {
    const problem = classify(err);
    if (problem.status >= 500) {
      const cause = problem.cause ?? err;
      opts.logger.error(
        {
          requestId: req.requestId,
          userId: req.user?.id,
          err: opts.serializeError(cause),
          status: problem.status,
        },
        problem.status === 503 ? 'dependency unavailable' : 'unhandled error',
      );
      opts.reporter.captureException(cause, {
        requestId: req.requestId,
        ...(req.user ? { userId: req.user.id } : {}),
        tags: { route: routeTemplate(req), status: String(problem.status) },
      });
    }
    const extra =
      opts.exposeStack && problem.status === 500 && err instanceof Error
        ? { stack: err.stack }
        : undefined;
    if (res.headersSent) {
      // Too late for a problem body: end the response so the client is not left hanging.
      res.end();
      return;
    }
    sendProblem(req, res, problem, extra);
  };
};

function classify(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const fromBodyParser = bodyParserProblem(err);
  if (fromBodyParser) return fromBodyParser;
  if (isDependencyUnavailable(err))
    return unavailable('A dependency is unavailable; retry shortly.', 5, err);
  // Errors with an explicit 4xx status (http-errors, e.g. from a library) are the client's.
  const status =
    typeof err === 'object' && err !== null && 'status' in err
      ? Number((err as { status: unknown }).status)
      : 0;
  if (status >= 400 && status < 500) {
    return new HttpProblem({
      status,
      type: PROBLEM_TYPES.validation,
      title: STATUS_CODES[status] ?? 'Bad Request',
      detail: 'The request was refused.',
    });
  }
  return new HttpProblem({
    status: 500,
    type: PROBLEM_TYPES.internal,
    title: 'Internal Server Error',
    detail: 'Something went wrong on our side; quote the request id when you report it.',
    cause: err,
  });
}

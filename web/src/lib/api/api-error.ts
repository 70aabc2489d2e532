// Only types from the contracts here: components import this file, and a value import would
// put the contracts (and zod) into every page's first script.
import type { ProblemDetails } from '@saas/shared/contracts';

export type ApiErrorKind =
  /** The API answered with application/problem+json. */
  | 'problem'
  /** No answer: network down, DNS, CORS refusal, API not running. */
  | 'network'
  /** Refused in the browser before sending, by the same schema the API validates with. */
  | 'invalid'
  /** An answer that matches no contract (a proxy's HTML error page, a version skew). */
  | 'unexpected';

/**
 * Every failure of an API call, with a sentence a person can act on (`message`). The problem
 * body, when there is one, stays available for code that switches on `problem.type`.
 */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | undefined;
  readonly problem: ProblemDetails | undefined;

  constructor(init: {
    kind: ApiErrorKind;
    message: string;
    status?: number;
    problem?: ProblemDetails;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.problem = init.problem;
  }
}

/** A sentence for any error thrown around an API call. */
export const errorSentence = (err: unknown): string =>
  err instanceof ApiError
    ? err.message
    : err instanceof Error && err.name === 'AbortError'
      ? 'The request was cancelled.'
      : 'Something unexpected went wrong. Reload the page and try again.';

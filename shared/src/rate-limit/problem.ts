import type { Request, Response } from 'express';

/** Stable `type` URIs of the two answers (RFC 9457); they match the API's contracts. */
export const RATE_LIMIT_PROBLEM_TYPES = {
  rateLimited: 'urn:problem:rate-limited',
  unavailable: 'urn:problem:unavailable',
} as const;

/** What the limiter answers: 429 over the limit, 503 when failing closed. */
export interface RateLimitProblem {
  status: 429 | 503;
  type: string;
  title: string;
  detail: string;
}

/**
 * Writes the problem. `Retry-After` (and the RateLimit headers) are already set when this runs;
 * replace it to add your own fields (a request id) or reuse your app's problem writer.
 */
export type SendRateLimitProblem = (req: Request, res: Response, problem: RateLimitProblem) => void;

export const tooManyRequests: RateLimitProblem = {
  status: 429,
  type: RATE_LIMIT_PROBLEM_TYPES.rateLimited,
  title: 'Too Many Requests',
  detail: 'Rate limit exceeded; retry after the number of seconds in Retry-After.',
};

export const rateLimitingUnavailable: RateLimitProblem = {
  status: 503,
  type: RATE_LIMIT_PROBLEM_TYPES.unavailable,
  title: 'Service Unavailable',
  detail: 'Rate limiting is unavailable; retry shortly.',
};

/** `application/problem+json` with `instance` = the path (never the query: it may hold tokens). */
export const writeProblem: SendRateLimitProblem = (req, res, problem) => {
  if (res.headersSent) return;
  const instance = req.originalUrl.split('?')[0];
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify({ ...problem, instance }));
};

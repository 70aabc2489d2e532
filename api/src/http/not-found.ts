import type { RequestHandler } from 'express';
import { notFound } from './problem.ts';

/** Unmatched routes: problem+json 404 like every other error (never Express's HTML page). */
export const notFoundHandler = (): RequestHandler => (_req, _res, next) => {
  next(notFound('No route for this method and path.'));
};

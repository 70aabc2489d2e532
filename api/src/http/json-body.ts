import express, { type RequestHandler } from 'express';
import { PROBLEM_TYPES } from '@saas/shared/contracts';
import { HttpProblem } from './problem.ts';

/**
 * JSON body parsing for the routes that expect a body (mounted per route, so the route
 * template is known when it fails). A body in any other media type is refused with 415 before
 * a byte is read; too large is 413; malformed JSON is 400. Errors are thrown as HttpProblems.
 */
export const jsonBody = (opts: { limit: string | number }): RequestHandler[] => {
  const parse = express.json({
    limit: opts.limit,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
  const requireJson: RequestHandler = (req, _res, next) => {
    // type-is: true for a JSON media type, false for another one, null when there is no body.
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is(['application/json', 'application/*+json'])) {
      next(
        new HttpProblem({
          status: 415,
          type: PROBLEM_TYPES.unsupportedMediaType,
          title: 'Unsupported Media Type',
          detail: 'Send the body as application/json.',
          headers: { 'Accept-Post': 'application/json' },
        }),
      );
      return;
    }
    next();
  };
  const translate = (err: unknown, next: (e?: unknown) => void): void => {
    next(bodyParserProblem(err) ?? err);
  };
  return [
    requireJson,
    (req, res, next) => parse(req, res, (err?: unknown) => (err ? translate(err, next) : next())),
  ];
};

/** Maps body-parser's errors (they carry `type` and `status`) to problems. */
export function bodyParserProblem(err: unknown): HttpProblem | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  switch ((err as { type: unknown }).type) {
    case 'entity.too.large':
      return new HttpProblem({
        status: 413,
        type: PROBLEM_TYPES.payloadTooLarge,
        title: 'Content Too Large',
        detail: 'The request body is larger than this endpoint accepts.',
      });
    case 'entity.parse.failed':
      return new HttpProblem({
        status: 400,
        type: PROBLEM_TYPES.malformedJson,
        title: 'Malformed JSON',
        detail: 'The request body is not valid JSON (or not a JSON object).',
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem({
        status: 415,
        type: PROBLEM_TYPES.unsupportedMediaType,
        title: 'Unsupported Media Type',
        detail: 'Send the body as UTF-8 application/json.',
        headers: { 'Accept-Post': 'application/json' },
      });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return new HttpProblem({
        status: 400,
        type: PROBLEM_TYPES.validation,
        title: 'Bad Request',
        detail: 'The request body could not be read.',
      });
    default:
      return undefined;
  }
}

import { describe, expect, it } from '@jest/globals';
import { PROBLEM_TYPES } from '@saas/shared/contracts';
import { describeProblem } from './problem-message.ts';

const base = { title: 'x', requestId: 'req-1' };

describe('describeProblem', () => {
  it('turns field errors into sentences that name the field, with the request id', () => {
    expect(
      describeProblem({
        ...base,
        type: PROBLEM_TYPES.uploadPolicy,
        status: 422,
        errors: [
          {
            location: 'body',
            path: 'contentType',
            message: 'type not allowed; allowed: image/png',
          },
          { location: 'body', path: 'size', message: 'larger than the limit of 10 bytes' },
        ],
      }),
    ).toBe(
      'File type: type not allowed; allowed: image/png. File size: larger than the limit of 10 bytes. (Reference: req-1)',
    );
  });

  it.each([
    [
      PROBLEM_TYPES.unauthorized,
      401,
      {},
      'Your session has expired or is not valid. Sign in again.',
    ],
    [
      PROBLEM_TYPES.rateLimited,
      429,
      { retryAfterS: 7 },
      'Too many requests. Try again in 7 seconds.',
    ],
    [
      PROBLEM_TYPES.unavailable,
      503,
      {},
      'The service is temporarily unavailable. Try again in a moment.',
    ],
    [
      PROBLEM_TYPES.notFound,
      404,
      { detail: 'No such upload.' },
      'No such upload. It may have been deleted; refresh the list.',
    ],
    ['urn:problem:something-new', 418, { detail: 'teapot here' }, 'Teapot here.'],
  ])('%s reads as a sentence', (type, status, extra, text) => {
    expect(describeProblem({ ...base, type, status, ...extra })).toBe(`${text} (Reference: req-1)`);
  });
});

import type { z } from 'zod';
import type { FieldError } from '@saas/shared/contracts';
import { badRequest } from './problem.ts';

type Location = FieldError['location'];

/** zod issues → field errors by path; an unknown key becomes one error at that key's path. */
export function toFieldErrors(
  location: Location,
  issues: readonly z.core.$ZodIssue[],
): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({
          location,
          path: [...base, key].join('.'),
          message: 'unknown field',
          code: issue.code,
        });
    } else {
      out.push({ location, path: base.join('.'), message: issue.message, code: issue.code });
    }
  }
  return out;
}

/**
 * Parses one part of the request with a strict contract schema; a mismatch is a 400 problem
 * listing every field error. Returns the parsed (typed, normalized) value: Express 5 makes
 * req.query a getter, so parsed input lives in handler variables, not on req.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: Location,
): z.output<S> {
  const r = schema.safeParse(value ?? (location === 'body' ? undefined : {}));
  if (r.success) return r.data;
  const detail =
    value === undefined && location === 'body'
      ? 'A JSON body is required.'
      : `Invalid ${location}.`;
  throw badRequest(detail, toFieldErrors(location, r.error.issues));
}

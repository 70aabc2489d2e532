import { z } from 'zod';

/** Media type of every API error (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Stable problem `type` URIs. URNs rather than URLs: nothing to host, and clients switch on them
 * instead of parsing `title` or `detail`, which are for humans and may change.
 */
export const PROBLEM_TYPES = {
  validation: 'urn:problem:validation',
  malformedJson: 'urn:problem:malformed-json',
  unsupportedMediaType: 'urn:problem:unsupported-media-type',
  payloadTooLarge: 'urn:problem:payload-too-large',
  unauthorized: 'urn:problem:unauthorized',
  forbidden: 'urn:problem:forbidden',
  notFound: 'urn:problem:not-found',
  methodNotAllowed: 'urn:problem:method-not-allowed',
  conflict: 'urn:problem:conflict',
  /** A request with the same Idempotency-Key is still being processed (409). */
  idempotencyInFlight: 'urn:problem:idempotency-in-flight',
  /** The Idempotency-Key was used before with a different request (422). */
  idempotencyKeyReused: 'urn:problem:idempotency-key-reused',
  uploadPolicy: 'urn:problem:upload-policy',
  rateLimited: 'urn:problem:rate-limited',
  unavailable: 'urn:problem:unavailable',
  internal: 'urn:problem:internal',
} as const;

export const fieldError = z.object({
  /** Which part of the request the error is about. */
  location: z.enum(['body', 'query', 'params', 'headers']),
  /** Dot-separated path inside that part (`size`, `items.0.name`); empty for the whole part. */
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
});
export type FieldError = z.infer<typeof fieldError>;

/** The one error shape of the API: `application/problem+json` with the request id. */
export const problemDetails = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  /** Same id as the X-Request-Id response header, the API's log line and any Sentry event. */
  requestId: z.string(),
  /** Field errors, by path, for validation problems. */
  errors: z.array(fieldError).optional(),
});
export type ProblemDetails = z.infer<typeof problemDetails>;

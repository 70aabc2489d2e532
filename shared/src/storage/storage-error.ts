// Errors leave the adapters only as StorageError: a message built from the SDK's error name and
// message with every configured secret and URL signature removed, and no `cause` — SDK errors
// carry request details (S3 error bodies even echo the access key id) that must not reach logs.

export class StorageError extends Error {
  readonly operation: string;
  /** Provider error code or name, e.g. NoSuchKey, NotFound, TimeoutError, AbortError. */
  readonly code: string;
  /** HTTP status when the store answered. */
  readonly status: number | undefined;
  /** True when the object (not the bucket) does not exist. */
  readonly notFound: boolean;

  constructor(
    operation: string,
    message: string,
    details: { code?: string; status?: number; notFound?: boolean } = {},
  ) {
    super(`storage ${operation} failed: ${message}`);
    this.name = 'StorageError';
    this.operation = operation;
    this.code = details.code ?? 'Error';
    this.status = details.status;
    this.notFound = details.notFound ?? false;
  }
}

export const isStorageNotFound = (err: unknown): boolean =>
  err instanceof StorageError && err.notFound;

const SIGNED_PARAM = /\b(X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|token)=[^&\s"']+/gi;
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/g;

/** Removes the given secrets, signed-URL parameters and bearer tokens from a text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; config validation requires real keys.
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out.replace(SIGNED_PARAM, '$1=[redacted]').replace(BEARER, 'Bearer [redacted]');
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

const asErrorLike = (err: unknown): ErrorLike =>
  typeof err === 'object' && err !== null ? (err as ErrorLike) : { message: String(err) };

/** One line describing any thrown value: name, message and the low-level cause's code. */
export function describeError(err: unknown): { code: string; text: string } {
  const e = asErrorLike(err);
  const name = typeof e.name === 'string' && e.name ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : '';
  const cause = asErrorLike(e.cause);
  // fetch() reports "fetch failed" and keeps the useful part (ECONNREFUSED…) in the cause.
  const causeCode = typeof cause.code === 'string' ? cause.code : undefined;
  const text = [`${name}${message ? `: ${message}` : ''}`, causeCode && `(${causeCode})`]
    .filter(Boolean)
    .join(' ');
  return { code: causeCode ?? name, text };
}

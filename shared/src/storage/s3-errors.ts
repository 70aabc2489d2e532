import { describeError, scrubSecrets, StorageError } from './storage-error.ts';

interface S3ErrorShape {
  name?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const statusOf = (err: unknown): number | undefined => {
  const status = (err as S3ErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
};

/**
 * True when S3 says the object is missing. HEAD responses have no body, so HeadObject reports
 * both a missing key and a missing bucket as `NotFound`; check() is what catches the bucket.
 */
export function isS3ObjectMissing(err: unknown): boolean {
  const name = (err as S3ErrorShape | null)?.name;
  return statusOf(err) === 404 && (name === 'NotFound' || name === 'NoSuchKey');
}

// HEAD responses carry no error body: the SDK can only say "UnknownError". Say what the status
// means instead, so a health report reads as something actionable.
const BODILESS_HINTS: Record<number, string> = {
  301: 'Moved: the bucket lives in another region or behind another endpoint',
  400: 'BadRequest',
  403: 'Forbidden: check the access keys and the bucket policy',
  404: 'NotFound: no such bucket or key',
};

/** Converts an SDK error into a StorageError whose message holds no credential. */
export function toS3StorageError(
  operation: string,
  err: unknown,
  secrets: readonly string[],
): StorageError {
  const status = statusOf(err);
  const described = describeError(err);
  const hint =
    status !== undefined && (err as Error | null)?.message === 'UnknownError'
      ? BODILESS_HINTS[status]
      : undefined;
  const code = hint ? hint.split(':')[0]! : described.code;
  const text = hint ?? described.text;
  const message = scrubSecrets(status ? `${text} (HTTP ${status})` : text, secrets);
  return new StorageError(operation, message, { code, status, notFound: isS3ObjectMissing(err) });
}

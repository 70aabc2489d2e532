import { describeError, scrubSecrets, StorageError } from './storage-error.ts';

// What storage-js puts on its errors: StorageApiError carries the HTTP status, the body's
// `statusCode` and `code`; StorageUnknownError wraps a network failure in `originalError`.
interface SupabaseErrorShape {
  message?: unknown;
  status?: unknown;
  statusCode?: unknown;
  code?: unknown;
  originalError?: unknown;
}

const shape = (err: unknown): SupabaseErrorShape =>
  typeof err === 'object' && err !== null ? (err as SupabaseErrorShape) : {};

/**
 * True when Storage says the object is missing. The Storage API answers HTTP 400 with
 * `{"statusCode":"404","code":"NoSuchKey"}` (older servers: no `code`), and a missing bucket
 * also has statusCode 404 (`NoSuchBucket`, or a "Bucket not found" message): that must throw.
 */
export function isSupabaseObjectMissing(err: unknown): boolean {
  const e = shape(err);
  if (e.code === 'NoSuchKey') return true;
  if (e.code !== undefined) return false;
  const is404 = e.status === 404 || e.statusCode === '404';
  return is404 && !(typeof e.message === 'string' && /bucket/i.test(e.message));
}

/** Converts a storage-js error into a StorageError whose message holds no key or token. */
export function toSupabaseStorageError(
  operation: string,
  err: unknown,
  secrets: readonly string[],
): StorageError {
  const e = shape(err);
  const described = describeError(e.originalError ?? err);
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'string' ? e.code : described.code;
  const statusCode = typeof e.statusCode === 'string' ? e.statusCode : undefined;
  const where = [status && `HTTP ${status}`, statusCode && `statusCode ${statusCode}`]
    .filter(Boolean)
    .join(', ');
  const message = scrubSecrets(where ? `${described.text} (${where})` : described.text, secrets);
  return new StorageError(operation, message, {
    code,
    status,
    notFound: isSupabaseObjectMissing(err),
  });
}

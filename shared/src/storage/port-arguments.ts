// Argument checks shared by the adapters: a bad key or expiry is a programming error, reported
// before any request leaves the process.

/** S3 (SigV4) refuses presigned URLs that live longer than 7 days. */
export const MAX_EXPIRES_IN_S = 7 * 24 * 3600;
/** Largest object a single PUT may upload to S3. */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const UNSAFE_KEY_CHARS = /[\u0000-\u001f\u007f\\]/;

const KEY_RULES: [(key: string) => boolean, string][] = [
  [(k) => k.length === 0 || k.length > 1024, 'must be 1-1024 characters'],
  [(k) => k.startsWith('/') || k.endsWith('/'), 'must not start or end with /'],
  [
    (k) => k.split('/').some((s) => s === '' || s === '.' || s === '..'),
    'must not contain empty, . or .. segments',
  ],
  [(k) => UNSAFE_KEY_CHARS.test(k), 'must not contain control characters or backslashes'],
];

/** Keys are built by the application (e.g. `<owner>/<upload id>`); anything path-like is refused. */
export function assertObjectKey(key: string): void {
  const broken = KEY_RULES.find(([fails]) => fails(key));
  if (broken) throw new TypeError(`invalid object key: ${broken[1]}`);
}

export function assertExpiresInS(expiresInS: number): void {
  if (!Number.isInteger(expiresInS) || expiresInS < 1 || expiresInS > MAX_EXPIRES_IN_S) {
    throw new RangeError(`expiresInS must be an integer between 1 and ${MAX_EXPIRES_IN_S}`);
  }
}

export function assertUploadSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_SINGLE_PUT_BYTES) {
    throw new RangeError(`size must be an integer between 0 and ${MAX_SINGLE_PUT_BYTES}`);
  }
}

export function assertContentType(contentType: string): void {
  // Ends up in a signed header: printable ASCII only, so nothing can inject a header line.
  if (!/^[!-~][ -~]{0,254}$/.test(contentType) || !contentType.includes('/')) {
    throw new TypeError('contentType must be a printable ASCII media type');
  }
}

/**
 * Query parameters that carry a credential in signed URLs (S3/GCS presigned, Supabase, Azure
 * SAS) and OAuth redirects. Their value goes whatever it looks like.
 */
export const SECRET_QUERY_PARAMS: readonly string[] = Object.freeze([
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
  'signature',
  'sig',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'client_secret',
  'password',
  'code',
]);

const names = new Set(SECRET_QUERY_PARAMS);

/** True for a query parameter whose value is a credential (case-insensitive). */
export function isSecretQueryParam(name: string): boolean {
  return names.has(name.toLowerCase());
}

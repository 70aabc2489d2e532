/** The Idempotency-Key request header (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Visible ASCII, 1–255 characters (a UUID per user action is the recommended key). */
export const IDEMPOTENCY_KEY_PATTERN = /^[!-~]{1,255}$/;

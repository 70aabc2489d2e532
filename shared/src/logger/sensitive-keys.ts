/**
 * Field names whose value is a secret or personal data whatever it looks like (a password has
 * no shape a regex could find). Matched as a suffix, case-insensitively, ignoring `-`/`_`:
 * `password`, `dbPassword`, `x-api-key`, `csrf_token`, `userEmail`, `set-cookie`.
 */
const SENSITIVE_KEY =
  /(?:password|passwd|passphrase|secret|token|api[-_]?key|private[-_]?key|authorization|cookie|session[-_]?id|e[-_]?mail|e[-_]?mail[-_]?address|phone|phone[-_]?number|mobile|card[-_]?number|cvc|cvv|iban|ssn)$/i;

/** True when a field named `key` must be censored whatever its value. */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

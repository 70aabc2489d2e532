import type { Db } from './create-db.ts';

/**
 * An error whose text may go to logs and health output: built from the original's message and
 * code with the password and any URL credentials removed, and without `cause` (a driver error
 * object may carry connection details in its properties).
 */
export class DbError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = 'DbError';
    this.code = code;
  }
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;

/** Removes `secrets` (raw and URL-encoded) and credentials of any URL from `text`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(URL_CREDENTIALS, '$1***@');
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}

/** The password postgres.js parsed from the URL (its types hide it; it is there at runtime). */
export function dbSecrets(sql: Db): string[] {
  const pass = (sql.options as unknown as { pass?: unknown }).pass;
  return typeof pass === 'string' && pass ? [pass] : [];
}

function describe(err: unknown): { message: string; code: string | undefined } {
  if (!(err instanceof Error)) return { message: String(err), code: undefined };
  const code = (err as { code?: unknown }).code;
  let message = err.message;
  // Node reports a failed dual-stack connect as an AggregateError with an empty message.
  if (!message && err instanceof AggregateError) {
    message = err.errors
      .map((e: unknown) => (e instanceof Error ? e.message : String(e)))
      .join('; ');
  }
  return { message: message || err.name, code: typeof code === 'string' ? code : undefined };
}

export function toDbError(err: unknown, context: string, secrets: readonly string[]): DbError {
  const { message, code } = describe(err);
  return new DbError(`${context}: ${scrubSecrets(message, secrets)}`, code);
}

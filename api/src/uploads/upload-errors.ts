import type { FieldError } from '@saas/shared/contracts';

export type UploadErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'policy'
  | 'not_uploaded'
  | 'size_mismatch'
  | 'type_mismatch'
  | 'expired'
  | 'not_ready'
  | 'queue_unavailable';

/** A rule of the uploads feature said no. The route maps the code to an HTTP problem. */
export class UploadError extends Error {
  readonly code: UploadErrorCode;
  readonly fieldErrors: FieldError[] | undefined;

  constructor(
    code: UploadErrorCode,
    message: string,
    opts: { fieldErrors?: FieldError[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UploadError';
    this.code = code;
    this.fieldErrors = opts.fieldErrors;
  }
}

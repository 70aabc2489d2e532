/**
 * The slice of the Sentry handle the HTTP layer needs. Ids only (request, user): never an
 * email or anything else personal.
 */
export interface ErrorReporter {
  captureException(
    err: unknown,
    ctx: { requestId: string; userId?: string; tags?: Record<string, string> },
  ): unknown;
  /**
   * Binds the ids to the current request's error-reporting scope, so events captured outside
   * the error handler (SDK auto-instrumentation) carry them too. Absent when reporting is off.
   */
  bindRequest?(ids: { requestId: string; userId?: string }): void;
}

/** The slice of the Sentry handle (observability's initSentry()) the job runtime uses. */
export interface ErrorReporter {
  captureException(
    err: unknown,
    context?: { requestId?: string; jobId?: string; queue?: string; tags?: Record<string, string> },
  ): unknown;
}

import type { Instrumentation } from 'next';

// Server side (Node runtime): Sentry only when a DSN is set; SENTRY_DSN may differ from the
// browser's NEXT_PUBLIC_SENTRY_DSN (e.g. a separate project), else the public one is used.
const serverDsn = (): string | undefined =>
  process.env.SENTRY_DSN || process.env.NEXT_PUBLIC_SENTRY_DSN || undefined;

let enabled = false;

export async function register(): Promise<void> {
  const dsn = serverDsn();
  if (!dsn || process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [Sentry, { sentryOptions }] = await Promise.all([
    import('@sentry/nextjs'),
    import('./lib/sentry/sentry-options.ts'),
  ]);
  Sentry.init(
    sentryOptions({
      dsn,
      environment:
        process.env.SENTRY_ENVIRONMENT ||
        process.env.VERCEL_ENV ||
        process.env.NODE_ENV ||
        'development',
      release: process.env.SENTRY_RELEASE || process.env.VERCEL_GIT_COMMIT_SHA || undefined,
    }),
  );
  enabled = true;
}

/** Errors from server rendering and route handlers, with Next's route context. */
export const onRequestError: Instrumentation.onRequestError = async (err, request, context) => {
  if (!enabled) return;
  const Sentry = await import('@sentry/nextjs');
  Sentry.captureRequestError(err, request, context);
};

'use client';

import { useEffect } from 'react';

// Last-resort boundary (the root layout itself failed): plain HTML, and the error goes to
// Sentry when it is configured (the SDK is loaded only then).
export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    if (process.env.NEXT_PUBLIC_SENTRY_DSN)
      void import('@sentry/nextjs').then((Sentry) => Sentry.captureException(error));
  }, [error]);
  return (
    <html lang="en">
      <body>
        <main>
          <h1>Something went wrong</h1>
          <p>
            The page failed to load. Try again; if it keeps happening, contact support
            {error.digest ? ` and quote ${error.digest}` : ''}.
          </p>
          <button type="button" onClick={reset}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}

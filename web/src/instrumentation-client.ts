// Runs in the browser before the app becomes interactive. Sentry is off without a DSN, and then
// its SDK is never downloaded: the import below is only reached when a DSN was built in.
import { publicEnv } from './lib/config/public-env.ts';

if (publicEnv.sentryDsn) {
  const dsn = publicEnv.sentryDsn;
  void Promise.all([import('@sentry/nextjs'), import('./lib/sentry/sentry-options.ts')]).then(
    ([Sentry, { sentryOptions }]) => {
      Sentry.init(
        sentryOptions({
          dsn,
          environment: publicEnv.environment,
          release: process.env.NEXT_PUBLIC_RELEASE || undefined,
        }),
      );
    },
  );
}

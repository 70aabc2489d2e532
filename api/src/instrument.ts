// Preloaded with `node --import ./src/instrument.ts` (Sentry 11 refuses --require): Sentry must
// start before Express and the database drivers are imported, or it cannot instrument them.
// It reads only its own variables; main.ts validates the whole config and reports problems,
// so an invalid value here just leaves Sentry off. main.ts gets the same handle from
// initSentry() (a second call returns the first handle).
import { z } from 'zod';
import { baseEnv, loadConfig } from '@saas/shared/config';
import { initSentry, observabilityEnv, sentryOptionsFromEnv } from '@saas/shared/observability';

try {
  const env = loadConfig(z.object({ ...baseEnv, ...observabilityEnv }), { exampleFile: false });
  initSentry(
    sentryOptionsFromEnv(env, {
      service: 'api',
      release: env.SERVICE_VERSION ?? env.RAILWAY_GIT_COMMIT_SHA,
    }),
  );
} catch {
  // main.ts reports the invalid config and exits.
}

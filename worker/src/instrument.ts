// Preloaded with `node --import ./src/instrument.ts` (Sentry 11 refuses --require): Sentry
// initialises before ioredis, BullMQ and postgres are imported, so it can instrument them. It
// reads only its own variables; main.ts validates the whole config and reports problems, so an
// invalid value here just leaves Sentry off.
import { z } from 'zod';
import { baseEnv, loadConfig } from '@saas/shared/config';
import { initSentry, observabilityEnv } from '@saas/shared/observability';

try {
  const env = loadConfig(z.object({ ...baseEnv, ...observabilityEnv }), { exampleFile: false });
  // main.ts gets the same handle back from its own initSentry() call (one per process).
  initSentry({
    dsn: env.SENTRY_DSN,
    environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV,
    release: env.SERVICE_VERSION ?? env.RAILWAY_GIT_COMMIT_SHA,
    service: 'worker',
    tracesSampleRate: env.SENTRY_TRACES_SAMPLE_RATE,
  });
} catch {
  // main.ts reports the invalid config and exits.
}

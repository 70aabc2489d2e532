// Preloaded with `node --import ./src/instrument.ts` (Sentry 11 refuses --require): Sentry
// initialises before ioredis, BullMQ and postgres are imported, so it can instrument them.
// OpenTelemetry starts first when OTEL_EXPORTER_OTLP_ENDPOINT is set; Sentry then tags its
// events with the active span's trace. It reads only its own variables; main.ts validates the
// whole config and reports problems, so an invalid value here just leaves both off.
import { z } from 'zod';
import { baseEnv, loadConfig } from '@saas/shared/config';
import { initSentry, observabilityEnv, sentryOptionsFromEnv } from '@saas/shared/observability';
import { startTracing, tracingEnv } from '@saas/shared/tracing';

try {
  const env = loadConfig(z.object({ ...baseEnv, ...observabilityEnv, ...tracingEnv }), {
    exampleFile: false,
  });
  const release = env.SERVICE_VERSION ?? env.RAILWAY_GIT_COMMIT_SHA;
  const tracing = startTracing({
    env,
    service: 'worker',
    version: release,
    environment: env.NODE_ENV,
  });
  // main.ts gets the same handle back from its own initSentry() call (one per process).
  initSentry(
    sentryOptionsFromEnv(env, { service: 'worker', release, openTelemetry: tracing.enabled }),
  );
} catch {
  // main.ts reports the invalid config and exits.
}

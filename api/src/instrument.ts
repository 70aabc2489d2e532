// Preloaded with `node --import ./src/instrument.ts` (Sentry 11 refuses --require): Sentry must
// start before Express and the database drivers are imported, or it cannot instrument them.
// OpenTelemetry starts first (Sentry's guide: the provider before Sentry.init) when
// OTEL_EXPORTER_OTLP_ENDPOINT is set; Sentry then tags its events with the active span's trace.
// It reads only its own variables; main.ts validates the whole config and reports problems,
// so an invalid value here just leaves Sentry and tracing off. main.ts gets the same handles
// from initSentry() and currentTracing() (a second start returns the first handle).
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
    service: 'api',
    version: release,
    environment: env.NODE_ENV,
  });
  initSentry(
    sentryOptionsFromEnv(env, { service: 'api', release, openTelemetry: tracing.enabled }),
  );
} catch {
  // main.ts reports the invalid config and exits.
}

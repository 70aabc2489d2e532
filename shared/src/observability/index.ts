export { initSentry, currentSentry, type SentryHandle, type ErrorContext } from './init-sentry.ts';
export { buildSentryOptions, type InitSentryOptions } from './sentry-options.ts';
export { sentryOptionsFromEnv, type SentryEnv } from './sentry-env.ts';
export { scrubSentryEvent, scrubBreadcrumb } from './sentry-scrub.ts';
export { scrubUrl, scrubQueryString } from './scrub-url.ts';
export { createMetrics, type Metrics, type CreateMetricsOptions } from './create-metrics.ts';
export {
  createMetricsHandler,
  type MetricsHandler,
  type MetricsHandlerOptions,
} from './metrics-handler.ts';
export { createBearerCheck, sameSecret } from './bearer-token.ts';
export { createHealthMetrics, type HealthResultLike } from './health-metrics.ts';
export { observabilityEnv } from './env.ts';
// Test helper (used by this module's tests and the api/worker Sentry tests): never started in production.
export {
  startFakeSentryIngest,
  parseEnvelope,
  ENVELOPES_PATH as FAKE_SENTRY_ENVELOPES_PATH,
  type FakeSentryIngest,
  type FakeSentryIngestOptions,
  type Envelope,
  type EnvelopeItem,
} from './fake-sentry-ingest.ts';

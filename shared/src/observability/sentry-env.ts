import type { InitSentryOptions } from './sentry-options.ts';

/** The parsed variables initSentry reads (observabilityEnv + baseEnv's NODE_ENV). */
export interface SentryEnv {
  SENTRY_DSN?: string | undefined;
  SENTRY_ENVIRONMENT?: string | undefined;
  SENTRY_TRACES_SAMPLE_RATE: number;
  NODE_ENV: string;
}

/** initSentry's options from a process's parsed config: what an instrument.ts needs. */
export function sentryOptionsFromEnv(
  env: SentryEnv,
  app: { service: string; release?: string | undefined; openTelemetry?: boolean },
): InitSentryOptions {
  return {
    dsn: env.SENTRY_DSN,
    environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV,
    release: app.release,
    service: app.service,
    tracesSampleRate: env.SENTRY_TRACES_SAMPLE_RATE,
    ...(app.openTelemetry ? { openTelemetry: true } : {}),
  };
}

import { scrubValue } from '@saas/shared/logger/scrub';

// Same rules as the back end's logs and Sentry events (shared/src/logger): secrets and personal
// data are replaced by value (emails, JWTs, signed-URL signatures, card numbers…) and by field
// name (authorization, cookie, email, token…), wherever they sit in the event.
const scrub = <T>(value: T): T => scrubValue(value) as T;

export interface WebSentryOptions {
  dsn: string;
  environment: string;
  release?: string | undefined;
}

/** Options shared by the browser and the Node server: errors only, nothing personal, scrubbed. */
export function sentryOptions(o: WebSentryOptions) {
  return {
    dsn: o.dsn,
    environment: o.environment,
    ...(o.release ? { release: o.release } : {}),
    // No IP addresses, cookies or request bodies are attached by the SDK.
    sendDefaultPii: false,
    // Tracing off by default, as in the API (each span costs CPU and quota).
    tracesSampleRate: 0,
    beforeSend: scrub,
    beforeSendTransaction: scrub,
    beforeBreadcrumb: scrub,
  };
}

export { scrub as scrubSentryEvent };

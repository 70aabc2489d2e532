import { httpIntegration, openTelemetryIntegration, type NodeOptions } from '@sentry/node';
import { scrubValue } from '../logger/index.ts';
import { scrubBreadcrumb, scrubSentryEvent } from './sentry-scrub.ts';

export interface InitSentryOptions {
  /** Unset or empty: Sentry stays off and every call is a no-op. */
  dsn?: string | undefined;
  environment: string;
  /** The deployed version (commit SHA or semver). Unset: the SDK's own guess (SENTRY_RELEASE). */
  release?: string | undefined;
  /** Tagged on every event (`service: api`), so one Sentry project can hold every process. */
  service: string;
  /** 0 turns tracing off entirely (errors only), which costs a third of a sampled-out tracer. */
  tracesSampleRate: number;
  /**
   * Release health from requests (default false): a session per request, flushed every minute.
   * It was the largest per-request cost left with tracing off (a scope, an id and a listener per
   * request); errors are reported either way.
   */
  requestSessions?: boolean;
  /**
   * OpenTelemetry owns tracing in this process (the tracing module started a provider): events
   * and logs are attached to the active OpenTelemetry span's trace id, so a Sentry issue links to
   * the trace in the OTel backend. Sentry's own tracing (tracesSampleRate) should then stay 0.
   */
  openTelemetry?: boolean;
}

type SpanHook = NonNullable<NodeOptions['beforeSendSpan']>;
type LogHook = NonNullable<NodeOptions['beforeSendLog']>;

/**
 * The SDK options: it collects as little personal data as it can (no automatic user/IP,
 * no cookies, no bodies, no local variables, no query or job arguments), and whatever still
 * reaches an event, breadcrumb, span or log goes through the logger's scrubber on the way out.
 */
export function buildSentryOptions(opts: InitSentryOptions): NodeOptions {
  const tracing = opts.tracesSampleRate > 0;
  const requestSessions = opts.requestSessions ?? false;
  return {
    dsn: opts.dsn,
    environment: opts.environment,
    release: opts.release,
    // null, not 0 (a rate of 0 still starts a span per request and per Express layer) and not
    // undefined (the SDK then reads SENTRY_TRACES_SAMPLE_RATE from the environment itself, so
    // `=0` there turned that machinery back on). Its typings say number; the SDK checks `!= null`.
    tracesSampleRate: tracing ? opts.tracesSampleRate : (null as unknown as undefined),
    integrations: (defaults) => [
      // Without tracing, the Express integration only wraps every router layer to capture a
      // layer's error; the app's error handler reports 5xx itself (`captureException`).
      ...defaults.filter(
        (i) =>
          (tracing || i.name !== 'Express') &&
          // Without request sessions the SDK falls back to one session per process, which it
          // fills from the scope of the first error: the client's IP address, which no hook
          // scrubs (sessions bypass beforeSend). Release health is request sessions or nothing.
          (requestSessions || i.name !== 'ProcessSession'),
      ),
      // Replaces the default Http integration (same name), with its per-request session off.
      httpIntegration({ sessions: requestSessions }),
      ...(opts.openTelemetry ? [openTelemetryIntegration()] : []),
    ],
    initialScope: { tags: { service: opts.service } },
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: { request: true, response: false },
      httpBodies: [],
      urlQueryParams: true,
      stackFrameVariables: false,
      databaseQueryData: false,
      queues: false,
      graphQL: { document: true, variables: false },
      genAI: { inputs: false, outputs: false },
      mcp: { inputs: false, outputs: false },
    },
    // Spans are streamed one by one (the v11 default, made explicit so SENTRY_TRACE_LIFECYCLE
    // cannot switch to transaction events, which beforeSendSpan would not see).
    traceLifecycle: 'stream',
    beforeSend: (event) => scrubSentryEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
    beforeSendSpan: ((span) => scrubValue(span)) as SpanHook,
    beforeSendLog: ((log) => scrubValue(log)) as LogHook,
  };
}

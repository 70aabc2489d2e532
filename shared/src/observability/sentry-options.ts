import type { NodeOptions } from '@sentry/node';
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
}

type SpanHook = NonNullable<NodeOptions['beforeSendSpan']>;
type LogHook = NonNullable<NodeOptions['beforeSendLog']>;

/**
 * The SDK options: it collects as little personal data as it can (no automatic user/IP,
 * no cookies, no bodies, no local variables, no query or job arguments), and whatever still
 * reaches an event, breadcrumb, span or log goes through the logger's scrubber on the way out.
 */
export function buildSentryOptions(opts: InitSentryOptions): NodeOptions {
  return {
    dsn: opts.dsn,
    environment: opts.environment,
    release: opts.release,
    // undefined, not 0: a rate of 0 still runs the tracing machinery on every request.
    tracesSampleRate: opts.tracesSampleRate > 0 ? opts.tracesSampleRate : undefined,
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

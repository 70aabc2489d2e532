import * as Sentry from '@sentry/node';
import { buildSentryOptions, type InitSentryOptions } from './sentry-options.ts';

/** Ids that tie an error to its request, user and job. Never emails or other personal data. */
export interface ErrorContext {
  requestId?: string;
  /** Sent as the event's user id (the only user field that leaves the process). */
  userId?: string;
  jobId?: string;
  queue?: string;
  /** More tags; a `userId` tag is moved to the user id. */
  tags?: Record<string, string>;
}

export interface SentryHandle {
  readonly enabled: boolean;
  /** Reports an error; returns the event id, or undefined when Sentry is off. */
  captureException(err: unknown, ctx?: ErrorContext): string | undefined;
  /** Waits up to `timeoutMs` for queued events to be sent (call it before exiting). */
  flush(timeoutMs?: number): Promise<boolean>;
}

const disabled: SentryHandle = Object.freeze({
  enabled: false,
  captureException: () => undefined,
  flush: () => Promise.resolve(true),
});

let current: SentryHandle | undefined;

/**
 * Starts Sentry once per process. Call it before anything imports Express (see README:
 * `node --import ./src/instrument.ts`), or route names are lost. Without a DSN nothing is
 * started and the handle does nothing. A second call returns the first handle: the SDK
 * instruments modules globally and cannot be started twice.
 */
export function initSentry(opts: InitSentryOptions): SentryHandle {
  if (current) return current;
  if (!opts.dsn) {
    current = disabled;
    return current;
  }
  Sentry.init(buildSentryOptions(opts));
  current = Object.freeze({
    enabled: true,
    captureException,
    flush: (ms = 2000) => Sentry.flush(ms),
  });
  return current;
}

/** The handle initSentry returned (in instrument.ts), for the process's main module; off if never started. */
export function currentSentry(): SentryHandle {
  return current ?? disabled;
}

function captureException(err: unknown, ctx: ErrorContext = {}): string {
  const { userId: tagUserId, ...extraTags } = ctx.tags ?? {};
  const tags: Record<string, string> = { ...extraTags };
  if (ctx.requestId) tags.requestId = ctx.requestId;
  if (ctx.jobId) tags.jobId = ctx.jobId;
  if (ctx.queue) tags.queue = ctx.queue;
  const userId = ctx.userId ?? tagUserId;
  return Sentry.captureException(err, userId ? { tags, user: { id: userId } } : { tags });
}

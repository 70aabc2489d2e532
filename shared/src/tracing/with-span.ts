import {
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type SpanKind,
  type Tracer,
  context as otelContext,
} from '@opentelemetry/api';

export interface WithSpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Parent context (default: the active one). */
  parent?: Context;
}

/**
 * Runs `fn` inside a new active span and ends it when `fn` settles; a throw marks the span as
 * an error (type only: messages may carry data) and is rethrown.
 */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  opts: WithSpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = opts.parent ?? otelContext.active();
  return tracer.startActiveSpan(
    name,
    { ...(opts.kind === undefined ? {} : { kind: opts.kind }), attributes: opts.attributes },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', err instanceof Error ? err.name : 'Error');
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

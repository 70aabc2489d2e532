import { tracingChannel } from 'node:diagnostics_channel';
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/** What ioredis 6 publishes on its `ioredis:command` tracing channel (args already sanitized). */
interface RedisCommandMessage {
  command: string;
  database?: number;
  serverAddress?: string;
  serverPort?: number;
  error?: unknown;
}

const SPAN = Symbol('otelSpan');
type Carrier = RedisCommandMessage & { [SPAN]?: Span };

/**
 * Spans for Redis commands from ioredis's own diagnostics channel (ioredis ≥ 6): no patching.
 * Only commands issued inside a span get one (a child), so a worker's idle polling and the
 * health checks make no traces of their own. Arguments are not recorded (keys carry ids, values
 * may carry anything). Returns the unsubscribe function.
 */
export function subscribeRedisSpans(tracer: Tracer): () => void {
  const channel = tracingChannel<unknown, Carrier>('ioredis:command');
  const handlers = {
    start(message: Carrier) {
      const parent = context.active();
      // Only under a recorded span: an unsampled request's commands would be unsampled too,
      // and making their (non-recording) spans is most of tracing's cost at a low ratio.
      if (!trace.getSpan(parent)?.isRecording()) return;
      message[SPAN] = tracer.startSpan(
        message.command.toUpperCase(),
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'redis',
            'db.operation.name': message.command.toUpperCase(),
            ...(message.database === undefined ? {} : { 'db.namespace': String(message.database) }),
            ...(message.serverAddress ? { 'server.address': message.serverAddress } : {}),
            ...(message.serverPort ? { 'server.port': message.serverPort } : {}),
          },
        },
        parent,
      );
    },
    end() {},
    asyncStart() {},
    asyncEnd(message: Carrier) {
      message[SPAN]?.end();
    },
    error(message: Carrier) {
      const span = message[SPAN];
      if (!span) return;
      const err = message.error;
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', err instanceof Error ? err.name : 'Error');
    },
  };
  channel.subscribe(handlers);
  return () => channel.unsubscribe(handlers);
}

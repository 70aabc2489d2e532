import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * A CLIENT span per S3 request sent inside a span (`S3.HeadObject`, `S3.GetObject`…): one per
 * attempt, as the deserialize step runs after the SDK's retry middleware. Presigning stops
 * before that step (it sends nothing), so a signed URL makes no span. A streamed GetObject's
 * span ends when the response headers arrive; the job's span covers the stream. Keys and
 * bucket names are not recorded.
 */
export function addS3Spans(client: S3Client, tracer: Tracer): void {
  client.middlewareStack.add(
    (next, ctx) => async (args) => {
      const parent = context.active();
      // Only under a recorded span (an unsampled request's calls would be unsampled too).
      if (!trace.getSpan(parent)?.isRecording()) return next(args);
      const command = String((ctx as { commandName?: unknown }).commandName ?? 'Command').replace(
        /Command$/,
        '',
      );
      return tracer.startActiveSpan(
        `S3.${command}`,
        {
          kind: SpanKind.CLIENT,
          attributes: { 'rpc.system': 'aws-api', 'rpc.service': 'S3', 'rpc.method': command },
        },
        parent,
        async (span) => {
          try {
            const out = await next(args);
            const status = (out.response as { statusCode?: unknown } | undefined)?.statusCode;
            if (typeof status === 'number') span.setAttribute('http.response.status_code', status);
            return out;
          } catch (err) {
            span.setStatus({ code: SpanStatusCode.ERROR });
            const status = (err as { $metadata?: { httpStatusCode?: unknown } }).$metadata
              ?.httpStatusCode;
            if (typeof status === 'number') span.setAttribute('http.response.status_code', status);
            span.setAttribute('error.type', err instanceof Error ? err.name : 'Error');
            throw err;
          } finally {
            span.end();
          }
        },
      );
    },
    { step: 'deserialize', name: 'openTelemetrySpans', priority: 'high' },
  );
}

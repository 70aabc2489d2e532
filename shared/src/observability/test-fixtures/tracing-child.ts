// Child process for the tracing-off test: starts Sentry with the rate given in argv while the
// SENTRY_TRACES_SAMPLE_RATE variable is set too (as it is on a deployment configured by env),
// then reports whether a request handler runs inside a span: the per-request tracing work.
import type { AddressInfo } from 'node:net';
import { initSentry } from '../init-sentry.ts';

initSentry({
  dsn: process.env.SENTRY_DSN,
  environment: 'test',
  service: 'tracing-fixture',
  tracesSampleRate: Number(process.argv[2]),
});
const Sentry = await import('@sentry/node');
const http = await import('node:http');

const server = http.createServer((_req, res) => {
  res.end(JSON.stringify({ span: Sentry.getActiveSpan() !== undefined }));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address() as AddressInfo;
const body = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { span: boolean };
console.log(
  `tracesSampleRate=${String(Sentry.getClient()?.getOptions().tracesSampleRate)} span=${body.span}`,
);
server.close();
await Sentry.flush(1000);

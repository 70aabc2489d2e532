// Child process for the Sentry envelope test: starts Sentry for real (once per process, as in
// production), then reports one error per corpus secret from inside a real HTTP request whose
// headers, query and scope all carry the secret.
import type { AddressInfo } from 'node:net';
import { initSentry } from '../init-sentry.ts';
import { SECRET_CORPUS } from '../../logger/test-corpus.ts';

const sentry = initSentry({
  dsn: process.env.SENTRY_DSN,
  environment: 'test',
  release: 'corpus-fixture@1.0.0',
  service: 'corpus-fixture',
  tracesSampleRate: 0,
  requestSessions: process.env.REQUEST_SESSIONS === 'true',
});
const again = initSentry({
  dsn: 'http://other@127.0.0.1:1/2',
  environment: 'x',
  release: 'x',
  service: 'x',
  tracesSampleRate: 1,
});
console.log(`init enabled=${sentry.enabled} sameHandleOnSecondInit=${again === sentry}`);

// Imported after init, as an instrument.ts-started process would.
const Sentry = await import('@sentry/node');
const http = await import('node:http');

const printable = (s: string): boolean => /^[\x20-\x7e]+$/.test(s);

const server = http.createServer((req, res) => {
  const i = Number(new URL(req.url ?? '/', 'http://x').pathname.split('/').pop());
  const s = SECRET_CORPUS[i]!;
  Sentry.setUser({
    id: 'user-from-scope',
    email: 'scope.user@example.com',
    ip_address: '203.0.113.7',
    username: 'jane',
  });
  // Big enough for the SDK to gzip the envelope: the compressed path is exercised for real.
  if (i === 0) Sentry.setExtra('bulk', 'lorem ipsum '.repeat(4000));
  Sentry.setExtra('payload', { [s.field]: s.fieldValue, note: s.inText });
  Sentry.setContext('job', { data: { [s.field]: s.fieldValue, note: s.inText } });
  if (s.inText.length <= 200) Sentry.setTag('note', s.inText);
  Sentry.addBreadcrumb({
    category: 'corpus',
    message: s.inText,
    data: { [s.field]: s.fieldValue, url: `/x?token=${s.secret}` },
  });
  console.warn(`console line: ${s.inText}`);
  const err = new Error(`upload failed (case ${i}): ${s.inText}`, { cause: new Error(s.inText) });
  sentry.captureException(err, {
    requestId: `req-case-${i}`,
    // Odd cases keep the scope's user: its email, IP and username must still not leave.
    ...(i % 2 === 0 ? { userId: `user-case-${i}` } : {}),
    jobId: `job-case-${i}`,
    queue: 'uploads',
    tags: { route: '/v1/uploads/:id' },
  });
  res.end('ok');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

for (let i = 0; i < SECRET_CORPUS.length; i += 1) {
  const s = SECRET_CORPUS[i]!;
  const headers: Record<string, string> = {
    authorization: `Bearer ${s.secret.replace(/\s/g, '')}`,
    cookie: `sid=${encodeURIComponent(s.secret)}; theme=dark`,
    'x-forwarded-for': '203.0.113.7',
    'user-agent': 'corpus-test',
  };
  if (printable(s.secret)) headers['x-api-key'] = s.secret;
  if (printable(s.inText)) headers['x-note'] = s.inText;
  const query = `token=${encodeURIComponent(s.secret)}&note=${encodeURIComponent(s.inText)}&page=2`;
  const res = await fetch(`http://127.0.0.1:${port}/v1/uploads/${i}?${query}`, { headers });
  await res.text();
}
server.close();
const flushed = await sentry.flush(10000);
console.log(`flushed=${flushed} cases=${SECRET_CORPUS.length}`);

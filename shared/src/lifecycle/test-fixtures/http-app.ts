import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer } from '../close-http-server.ts';
import { createLifecycle } from '../create-lifecycle.ts';
import { emit, jsonLogger } from './json-lines.ts';

// An HTTP server draining on SIGTERM. GET /slow answers after 800 ms, anything else at once.
// The shutdown timeout stays below Node's keep-alive timeout (5 s): an idle keep-alive socket
// left open would make this process exit 1 instead of 0.

const lifecycle = createLifecycle({ logger: jsonLogger, timeoutMs: 4000 });
const server = createServer((req, res) => {
  if (req.url === '/slow') {
    emit({ event: 'slow-request-started' });
    setTimeout(() => res.end('slow done'), 800);
    return;
  }
  res.end('fast');
});

lifecycle.onClose('database', () => emit({ event: 'hook-start', name: 'database' }));
lifecycle.onClose('http-server', async () => {
  const closing = closeHttpServer(server, { idleTimeoutMs: 50 });
  emit({ event: 'http-closing' });
  await closing;
});
lifecycle.handleSignals();

server.listen(0, '127.0.0.1', () => {
  emit({ event: 'listening', port: (server.address() as AddressInfo).port });
});

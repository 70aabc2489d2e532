// Ceiling: bare node:http answering the same JSON (no framework at all).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  announceReady,
  BENCH_UPLOAD_ID,
  ME_PATH,
  meBody,
  UPLOAD_PATH,
  uploadBody,
} from './payload.ts';

const upload = JSON.stringify(uploadBody(BENCH_UPLOAD_ID));
const me = JSON.stringify(meBody);

const server = createServer((req, res) => {
  const body = req.url === UPLOAD_PATH ? upload : req.url === ME_PATH ? me : undefined;
  if (body === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  announceReady({ port: (server.address() as AddressInfo).port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

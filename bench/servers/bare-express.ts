// Baseline: Express 5 with no middleware answering the same JSON.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { announceReady, ME_PATH, meBody, uploadBody } from './payload.ts';

const app = express();
app.get('/v1/bench/uploads/:id', (req, res) => {
  res.json(uploadBody(req.params.id));
});
app.get(ME_PATH, (_req, res) => {
  res.json(meBody);
});
const server = app.listen(0, '127.0.0.1', () => {
  announceReady({ port: (server.address() as AddressInfo).port });
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));

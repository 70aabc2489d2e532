// The Idempotency-Key middleware alone, as the API wires it (api/src/idempotency on an
// auto-pipelined producer connection to the shared local Redis), around a handler that
// answers 201 with a fixed body. The same route without the middleware is the baseline, so
// the difference is what a key costs: two Redis commands (SET NX to claim, SET XX to store
// the answer) for a new key, two (SET NX, GET) for a replay.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { pino } from 'pino';
import { createLogger } from '@saas/shared/logger';
import { createRedis } from '@saas/shared/redis';
import { jsonBody } from '../../api/src/http/json-body.ts';
import { idempotency } from '../../api/src/idempotency/idempotency-middleware.ts';
import { createIdempotencyStore } from '../../api/src/idempotency/idempotency-store.ts';
import { redisReady } from '../../api/src/redis-ready.ts';
import { announceReady, BENCH_UPLOAD_ID, BENCH_USER_ID } from './payload.ts';

const logger = createLogger({
  service: 'api',
  env: 'production',
  version: 'bench',
  level: 'warn',
  destination: pino.destination({ dest: '/dev/null', sync: true }),
});
const redis = createRedis(process.env.REDIS_URL!, {
  role: 'producer',
  connectionName: 'bench:idempotency',
  logger,
});
redis.options.enableAutoPipelining = true;
if (!(await redisReady(redis, 10_000))) throw new Error('redis not ready within 10 s');

const app = express();
app.disable('etag');
app.disable('x-powered-by');
// What requireUser leaves behind (token verification is measured by the api scenario).
const user: RequestHandler = (req, _res, next) => {
  req.user = { id: BENCH_USER_ID, email: null, role: 'authenticated' };
  req.requestId = 'bench';
  next();
};
const created: RequestHandler = (_req, res) => {
  res.status(201).location(`/v1/uploads/${BENCH_UPLOAD_ID}`).json({ id: BENCH_UPLOAD_ID });
};
const keys = idempotency({
  store: createIdempotencyStore({ redis, timeoutMs: 500 }),
  prefix: `${process.env.IDEMPOTENCY_PREFIX ?? 'bench:idem:'}`,
  ttlS: 86400,
  logger,
});
const body = jsonBody({ limit: '16kb' });
app.post('/plain', user, ...body, created);
app.post('/keyed', user, ...body, keys, created);

const server = createServer(app);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  announceReady({ port: (server.address() as AddressInfo).port });
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => {
    void redis.quit().finally(() => process.exit(0));
  });
});

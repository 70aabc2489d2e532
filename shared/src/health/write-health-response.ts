import type { ServerResponse } from 'node:http';
import type { HealthResponse } from './health-endpoints.ts';

/** JSON, never cached by a proxy or browser: a stale "ok" would hide an outage. */
export function writeHealthResponse(res: ServerResponse, response: HealthResponse): void {
  const body = JSON.stringify(response.body);
  res.writeHead(response.statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

import { randomUUID } from 'node:crypto';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '@saas/shared/contracts';
import { fetchApiHealth } from '../../../lib/health/api-health.ts';

// GET /status/report: the API's health report for the status page's refreshes, asked server
// to server (the API serves /health before its CORS layer, for probes). When the API is down
// the web still answers, with a problem+json that says so.
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const r = await fetchApiHealth(8_000);
  if (r.ok)
    return Response.json(r.report, {
      status: r.httpStatus,
      headers: { 'cache-control': 'no-store' },
    });
  const body = {
    type: PROBLEM_TYPES.unavailable,
    title: 'API unavailable',
    status: r.httpStatus,
    detail: r.detail,
    requestId: randomUUID(),
  };
  return new Response(JSON.stringify(body), {
    status: r.httpStatus,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
  });
}

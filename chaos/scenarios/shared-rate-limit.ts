import { randomUUID } from 'node:crypto';
import { UPLOADS_LIMIT } from '../lib/context.ts';
import { call } from '../lib/http.ts';
import { say } from '../lib/progress.ts';
import { record } from '../lib/results.ts';
import type { Run } from '../lib/run.ts';

/**
 * Rate limits are shared: one user sends 3× the per-user limit of upload creations, at once,
 * alternating between the two API processes. Both count in the same Redis, so exactly the
 * limit is admitted (201) and the rest refused (429), whichever replica answered.
 */
export async function sharedRateLimit(run: Run): Promise<void> {
  const n = UPLOADS_LIMIT * 3;
  say(
    `shared rate limit: ${n} upload creations for one user over both APIs (limit ${UPLOADS_LIMIT})`,
  );
  const token = await run.ctx.tokenFor(randomUUID());
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      call(`${run.apis[i % 2]!.base}/v1/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: { filename: `limit-${i}.png`, contentType: 'image/png', size: 100 },
      }).then((r) => ({ api: run.apis[i % 2]!.name, status: r.status })),
    ),
  );
  const admitted = results.filter((r) => r.status === 201);
  const refused = results.filter((r) => r.status === 429);
  const other = results.filter((r) => r.status !== 201 && r.status !== 429);
  const byApi = run.apis
    .map((a) => `${a.name} ${admitted.filter((r) => r.api === a.name).length}`)
    .join(', ');
  record({
    scenario: 'Shared rate limit (2 APIs, one Redis)',
    expected: `${n} requests over both APIs: exactly ${UPLOADS_LIMIT} × 201, ${n - UPLOADS_LIMIT} × 429`,
    observed: `${admitted.length} × 201 (${byApi}), ${refused.length} × 429${other.length ? `, other: ${other.map((o) => o.status).join(',')}` : ''}`,
    ok:
      admitted.length === UPLOADS_LIMIT &&
      refused.length === n - UPLOADS_LIMIT &&
      other.length === 0,
  });
}

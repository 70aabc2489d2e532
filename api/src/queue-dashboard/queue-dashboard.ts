import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler } from 'express';
import type { TokenVerifier } from '../auth/token-verifier.ts';
import { dashboardAuth } from './dashboard-auth.ts';
import { dashboardCsp } from './dashboard-csp.ts';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboardOptions {
  queues: readonly Queue[];
  verifier: TokenVerifier;
  token: string | undefined;
  adminRole: string;
}

/**
 * bull-board (@bull-board/express) at /admin/queues: queues, waiting/active/failed/delayed
 * jobs, a failed job's error and attempts, retry and remove. Authorization runs before
 * anything of bull-board's, for its page, its static files and its JSON API alike. Job data
 * shown there is the queue's payload: ids (and a traceparent) only, by the queue module's rule.
 */
export function queueDashboard(opts: QueueDashboardOptions): RequestHandler {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: opts.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Queues' } },
  });
  const router = Router();
  router.use(
    QUEUE_DASHBOARD_PATH,
    dashboardAuth({ verifier: opts.verifier, token: opts.token, adminRole: opts.adminRole }),
    dashboardCsp(),
    adapter.getRouter() as RequestHandler,
  );
  return router;
}

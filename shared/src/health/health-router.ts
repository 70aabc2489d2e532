import { Router, type Request, type RequestHandler } from 'express';
import {
  createHealthEndpoints,
  HEALTH_PATHS,
  type HealthEndpointsOptions,
  type HealthResponse,
} from './health-endpoints.ts';
import { viewFor } from './public-view.ts';
import { writeHealthResponse } from './write-health-response.ts';

/**
 * Express 5 router serving GET /health/live, /health/ready, /health and /health/:check.
 * Mount it at the root, before CORS, host checks and rate limits, so probes are never refused.
 */
export function createHealthRouter(options: HealthEndpointsOptions): Router {
  const endpoints = createHealthEndpoints(options);
  const view = viewFor(options.showDetails);
  const send =
    (produce: (req: Request) => HealthResponse | Promise<HealthResponse>): RequestHandler =>
    async (req, res) => {
      writeHealthResponse(res, view(req.headers.authorization)(await produce(req)));
    };
  const router = Router();
  // Explicit routes (rather than one catch-all) give request metrics a readable route label.
  router.get(HEALTH_PATHS.full, send(endpoints.full));
  router.get(HEALTH_PATHS.live, send(endpoints.live));
  router.get(HEALTH_PATHS.ready, send(endpoints.ready));
  router.get(
    HEALTH_PATHS.check,
    send((req) => endpoints.check(String(req.params.check))),
  );
  return router;
}

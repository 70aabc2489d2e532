import { Router, type RequestHandler } from 'express';
import type { MeResponse } from '@saas/shared/contracts';

export function meRoutes(deps: { requireUser: RequestHandler }): Router {
  const r = Router();
  r.get('/v1/me', deps.requireUser, (req, res) => {
    const user = req.user!;
    const body: MeResponse = { id: user.id, email: user.email, role: user.role };
    res.json(body);
  });
  return r;
}

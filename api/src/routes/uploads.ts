import { Router, type RequestHandler } from 'express';
import {
  createUploadRequest,
  listUploadsQuery,
  PROBLEM_TYPES,
  uploadIdParams,
} from '@saas/shared/contracts';
import { badRequest, conflict, HttpProblem, notFound, unavailable } from '../http/problem.ts';
import { parseInput } from '../http/validation.ts';
import { UploadError } from '../uploads/upload-errors.ts';
import type { UploadService } from '../uploads/upload-service.ts';

export interface UploadsRoutesDeps {
  service: UploadService;
  requireUser: RequestHandler;
  /** Per-user limit on creating uploads (after requireUser). */
  createLimiter: RequestHandler;
  jsonBody: RequestHandler[];
  /** Idempotency-Key handling for the writes (after auth and the body). */
  idempotency: RequestHandler;
}

/** The feature's rules → HTTP. Another user's upload is 404, never 403: ids do not leak. */
export function uploadProblem(err: unknown): unknown {
  if (!(err instanceof UploadError)) return err;
  switch (err.code) {
    case 'not_found':
      return notFound('No such upload.');
    case 'invalid_input':
      return badRequest(err.message, err.fieldErrors);
    case 'policy':
      return new HttpProblem({
        status: 422,
        type: PROBLEM_TYPES.uploadPolicy,
        title: 'Upload not accepted',
        detail: err.message,
        ...(err.fieldErrors ? { errors: err.fieldErrors } : {}),
      });
    case 'not_uploaded':
    case 'size_mismatch':
    case 'type_mismatch':
    case 'expired':
    case 'not_ready':
      return conflict(err.message);
    case 'queue_unavailable':
      return unavailable(err.message, 5, err.cause);
  }
}

const mapErrors = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    throw uploadProblem(err);
  }
};

export function uploadsRoutes(deps: UploadsRoutesDeps): Router {
  const { service, requireUser } = deps;
  const r = Router();
  const idOf = (params: unknown): string => parseInput(uploadIdParams, params, 'params').id;

  // Public, and before /:id: the web reads the limits instead of duplicating them.
  r.get('/v1/uploads/limits', (_req, res) => {
    res.json(service.limits());
  });

  r.post(
    '/v1/uploads',
    requireUser,
    deps.createLimiter,
    ...deps.jsonBody,
    deps.idempotency,
    async (req, res) => {
      const body = parseInput(createUploadRequest, req.body, 'body');
      const out = await mapErrors(() => service.create(req.user!.id, body, req.requestId));
      res.status(201).location(`/v1/uploads/${out.id}`).json(out);
    },
  );

  r.get('/v1/uploads', requireUser, async (req, res) => {
    const q = parseInput(listUploadsQuery, req.query, 'query');
    res.json(await mapErrors(() => service.list(req.user!.id, q)));
  });

  r.get('/v1/uploads/:id', requireUser, async (req, res) => {
    const id = idOf(req.params);
    res.json(await mapErrors(() => service.get(req.user!.id, id)));
  });

  r.post('/v1/uploads/:id/complete', requireUser, deps.idempotency, async (req, res) => {
    const id = idOf(req.params);
    res.json(await mapErrors(() => service.complete(req.user!.id, id, req.requestId)));
  });

  r.get('/v1/uploads/:id/download', requireUser, async (req, res) => {
    const id = idOf(req.params);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await mapErrors(() => service.download(req.user!.id, id)));
  });

  r.delete('/v1/uploads/:id', requireUser, async (req, res) => {
    const id = idOf(req.params);
    await mapErrors(() => service.remove(req.user!.id, id));
    res.status(204).end();
  });

  return r;
}

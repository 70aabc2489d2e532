import type { z } from 'zod';
import { devLoginRequest, devLoginResponse, meResponse } from './auth.ts';
import { healthReport } from './health.ts';
import {
  createUploadRequest,
  createUploadResponse,
  downloadUploadResponse,
  listUploadsQuery,
  listUploadsResponse,
  upload,
  uploadIdParams,
  uploadLimits,
} from './uploads.ts';

export interface RouteContract {
  method: 'GET' | 'POST' | 'DELETE';
  /** Express-style path template (`:id`). */
  path: string;
  /** Needs `Authorization: Bearer <token>`. */
  auth: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success status and body schema (null: no body). */
  status: number;
  response: z.ZodType | null;
}

/**
 * Every versioned route of the API, with its schemas: the API validates with them and the web
 * builds its client from them, so the two cannot drift apart silently.
 */
export const apiRoutes = {
  devLogin: {
    method: 'POST',
    path: '/v1/dev/login',
    auth: false,
    body: devLoginRequest,
    status: 200,
    response: devLoginResponse,
  },
  me: { method: 'GET', path: '/v1/me', auth: true, status: 200, response: meResponse },
  uploadLimits: {
    method: 'GET',
    path: '/v1/uploads/limits',
    auth: false,
    status: 200,
    response: uploadLimits,
  },
  createUpload: {
    method: 'POST',
    path: '/v1/uploads',
    auth: true,
    body: createUploadRequest,
    status: 201,
    response: createUploadResponse,
  },
  listUploads: {
    method: 'GET',
    path: '/v1/uploads',
    auth: true,
    query: listUploadsQuery,
    status: 200,
    response: listUploadsResponse,
  },
  getUpload: {
    method: 'GET',
    path: '/v1/uploads/:id',
    auth: true,
    params: uploadIdParams,
    status: 200,
    response: upload,
  },
  completeUpload: {
    method: 'POST',
    path: '/v1/uploads/:id/complete',
    auth: true,
    params: uploadIdParams,
    status: 200,
    response: upload,
  },
  downloadUpload: {
    method: 'GET',
    path: '/v1/uploads/:id/download',
    auth: true,
    params: uploadIdParams,
    status: 200,
    response: downloadUploadResponse,
  },
  deleteUpload: {
    method: 'DELETE',
    path: '/v1/uploads/:id',
    auth: true,
    params: uploadIdParams,
    status: 204,
    response: null,
  },
  health: { method: 'GET', path: '/health', auth: false, status: 200, response: healthReport },
} as const satisfies Record<string, RouteContract>;

/** Fills a path template: `pathFor('/v1/uploads/:id', {id})`. */
export const pathFor = (template: string, params: Record<string, string> = {}): string =>
  template.replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(v);
  });

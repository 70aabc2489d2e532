import { z } from 'zod';
import {
  apiRoutes,
  healthAnswer,
  livenessReport,
  namedHealthCheckAnswer,
  readinessAnswer,
  unknownHealthCheckAnswer,
  type RouteContract,
} from '@saas/shared/contracts';

/** A problem+json answer an operation can give (components/responses holds one per status). */
export type ProblemStatus = 400 | 401 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** A response with a body that is not a problem (health reports, the metrics text). */
export interface PlainResponse {
  status: number;
  description: string;
  /** A zod schema (JSON) or a media type with a string body (text). */
  body: z.ZodType | { text: string } | null;
  /** Header names from components/headers this response carries. */
  headers?: readonly string[];
}

export interface OperationSpec {
  operationId: string;
  method: 'get' | 'post' | 'delete';
  /** Express-style template (`:id`); the builder writes `{id}`. */
  path: string;
  tag: 'auth' | 'uploads' | 'health' | 'meta';
  summary: string;
  description: string;
  /** `user`: a user's JWT; `metrics`: METRICS_TOKEN when it is set; `none`: public. */
  security: 'user' | 'metrics' | 'none';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  responses: readonly PlainResponse[];
  problems: readonly ProblemStatus[];
  /** Behind the global limiter: draft-8 RateLimit headers on every answer, 429/503 possible. */
  rateLimited: boolean;
  /** Accepts an Idempotency-Key header (replay, 409 in flight, 422 on reuse). */
  idempotent?: boolean;
}

// Every /v1 route passes the global limiter (429; 503 when Redis is down and it fails closed)
// and can fail on our side (500).
const V1: readonly ProblemStatus[] = [429, 500, 503];
const BODY: readonly ProblemStatus[] = [400, 413, 415];
const AUTH: readonly ProblemStatus[] = [401];
const BY_ID: readonly ProblemStatus[] = [400, 401, 404];

const fromContract = (
  r: RouteContract,
  description: string,
  headers: readonly string[] = [],
): Pick<OperationSpec, 'method' | 'path' | 'params' | 'query' | 'body' | 'security'> & {
  responses: PlainResponse[];
} => ({
  method: r.method.toLowerCase() as OperationSpec['method'],
  path: r.path,
  security: r.auth ? 'user' : 'none',
  ...(r.params ? { params: r.params } : {}),
  ...(r.query ? { query: r.query } : {}),
  ...(r.body ? { body: r.body } : {}),
  responses: [{ status: r.status, description, body: r.response, headers }],
});

const r = apiRoutes;

/**
 * Every route the API serves, described from the same zod contracts it validates with. The
 * route table (`apiRoutes`) gives the schemas; this adds what only the HTTP layer knows: which
 * problems each route can answer with, headers, security, and the unversioned endpoints.
 */
export const operations: readonly OperationSpec[] = [
  {
    operationId: 'devLogin',
    tag: 'auth',
    summary: 'Sign in with any email (development only)',
    description:
      'Mounted only when DEV_LOGIN_ENABLED=true (refused in production): any email gets a token like the one Supabase Auth issues. Limited per client IP by RATE_LIMIT_LOGIN_MAX.',
    ...fromContract(r.devLogin, 'A bearer token for the email.', ['Cache-Control']),
    problems: [...BODY, 404, ...V1],
    rateLimited: true,
  },
  {
    operationId: 'getMe',
    tag: 'auth',
    summary: 'The signed-in user',
    description: "The bearer token's subject, email and role.",
    ...fromContract(r.me, 'The user the token belongs to.'),
    problems: [...AUTH, ...V1],
    rateLimited: true,
  },
  {
    operationId: 'getUploadLimits',
    tag: 'uploads',
    summary: 'What the API accepts',
    description:
      'Public: the largest size and the allowed media types, so clients never duplicate them.',
    ...fromContract(r.uploadLimits, 'The upload limits.'),
    problems: V1,
    rateLimited: true,
  },
  {
    operationId: 'createUpload',
    tag: 'uploads',
    summary: 'Start an upload',
    description:
      'Creates a pending upload and returns a signed URL to PUT the bytes to (the API is not in the data path). A well-formed file the server refuses (type not allowed, too large) is a 422 with the same field paths as a 400. Limited per user by RATE_LIMIT_UPLOADS_MAX.',
    ...fromContract(r.createUpload, 'The upload was created; PUT the bytes to `uploadUrl`.', [
      'Location',
    ]),
    problems: [...BODY, ...AUTH, 409, 422, ...V1],
    rateLimited: true,
    idempotent: true,
  },
  {
    operationId: 'listUploads',
    tag: 'uploads',
    summary: "The user's uploads, newest first",
    description: 'Cursor-paginated: pass the `nextCursor` of one page as `cursor` for the next.',
    ...fromContract(r.listUploads, 'One page of uploads.'),
    problems: [400, ...AUTH, ...V1],
    rateLimited: true,
  },
  {
    operationId: 'getUpload',
    tag: 'uploads',
    summary: 'One upload',
    description: "Another user's upload is a 404, never a 403: ids do not leak.",
    ...fromContract(r.getUpload, 'The upload.'),
    problems: [...BY_ID, ...V1],
    rateLimited: true,
  },
  {
    operationId: 'completeUpload',
    tag: 'uploads',
    summary: 'Mark the bytes as uploaded and queue processing',
    description:
      'Checks the stored object (exists, size matches) and hands it to the worker. Calling it again on an upload already uploaded or processed returns its current state. 409 when the object is missing, has the wrong size or the upload expired; 503 when the queue is down.',
    ...fromContract(r.completeUpload, 'The upload, now `uploaded` (or its later state).'),
    problems: [...BY_ID, 409, 422, ...V1],
    rateLimited: true,
    idempotent: true,
  },
  {
    operationId: 'downloadUpload',
    tag: 'uploads',
    summary: 'A short-lived download URL',
    description: 'Only for a `ready` upload (409 otherwise); the URL expires at `expiresAt`.',
    ...fromContract(r.downloadUpload, 'A signed GET URL.', ['Cache-Control']),
    problems: [...BY_ID, 409, ...V1],
    rateLimited: true,
  },
  {
    operationId: 'deleteUpload',
    tag: 'uploads',
    summary: 'Delete an upload (object and row)',
    description: 'The object first, then the row: a failed delete can be retried.',
    ...fromContract(r.deleteUpload, 'Deleted.'),
    problems: [...BY_ID, ...V1],
    rateLimited: true,
  },
  {
    operationId: 'getHealth',
    tag: 'health',
    method: 'get',
    path: '/health',
    security: 'none',
    summary: 'Every health check',
    description:
      'Each check under a timeout; `degraded` when an optional check fails (still 200), 503 when a critical one does. Never cached.',
    responses: [
      {
        status: 200,
        description: 'ok or degraded.',
        body: healthAnswer,
        headers: ['Cache-Control'],
      },
      {
        status: 503,
        description: 'A critical check fails.',
        body: healthAnswer,
        headers: ['Cache-Control'],
      },
    ],
    problems: [],
    rateLimited: false,
  },
  {
    operationId: 'getLiveness',
    tag: 'health',
    method: 'get',
    path: '/health/live',
    security: 'none',
    summary: 'Liveness probe',
    description: 'Answers from memory, never touches a dependency, stays 200 while draining.',
    responses: [
      { status: 200, description: 'Alive.', body: livenessReport, headers: ['Cache-Control'] },
      {
        status: 503,
        description: 'The process should be restarted.',
        body: livenessReport,
        headers: ['Cache-Control'],
      },
    ],
    problems: [],
    rateLimited: false,
  },
  {
    operationId: 'getReadiness',
    tag: 'health',
    method: 'get',
    path: '/health/ready',
    security: 'none',
    summary: 'Readiness probe',
    description:
      '503 from the first moment of shutdown, and while PostgreSQL, Redis or the schema is not there.',
    responses: [
      {
        status: 200,
        description: 'Ready for traffic.',
        body: readinessAnswer,
        headers: ['Cache-Control'],
      },
      {
        status: 503,
        description: 'Not ready (or draining).',
        body: readinessAnswer,
        headers: ['Cache-Control'],
      },
    ],
    problems: [],
    rateLimited: false,
  },
  {
    operationId: 'getHealthCheck',
    tag: 'health',
    method: 'get',
    path: '/health/:check',
    security: 'none',
    params: z.strictObject({ check: z.string().min(1) }),
    summary: 'One health check by name',
    description: 'The names are the keys of `checks` in GET /health (db, redis, storage, worker…).',
    responses: [
      {
        status: 200,
        description: 'The check passes.',
        body: namedHealthCheckAnswer,
        headers: ['Cache-Control'],
      },
      {
        status: 404,
        description: 'No check has this name.',
        body: unknownHealthCheckAnswer,
        headers: ['Cache-Control'],
      },
      {
        status: 503,
        description: 'The check fails.',
        body: namedHealthCheckAnswer,
        headers: ['Cache-Control'],
      },
    ],
    // A name that is not valid percent-encoding (`/health/%zz`) never reaches the router: 400.
    problems: [400],
    rateLimited: false,
  },
  {
    operationId: 'getMetrics',
    tag: 'meta',
    method: 'get',
    path: '/metrics',
    security: 'metrics',
    summary: 'Prometheus metrics',
    description:
      'Prometheus text format. Needs `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set.',
    responses: [
      {
        status: 200,
        description: 'The metrics.',
        body: { text: 'text/plain' },
        headers: ['Cache-Control'],
      },
      {
        status: 401,
        description: 'METRICS_TOKEN is set and the bearer token does not match it.',
        body: { text: 'text/plain' },
        headers: ['WWW-Authenticate'],
      },
    ],
    problems: [],
    rateLimited: false,
  },
  {
    operationId: 'getOpenApiDocument',
    tag: 'meta',
    method: 'get',
    path: '/openapi.json',
    security: 'none',
    summary: 'This document',
    description: 'Public and cacheable (ETag, If-None-Match → 304).',
    responses: [
      {
        status: 200,
        description: 'The OpenAPI 3.1 document.',
        body: { text: 'application/json' },
        headers: ['Cache-Control', 'ETag'],
      },
      {
        status: 304,
        description: 'Not modified since the ETag given in If-None-Match.',
        body: null,
        headers: ['Cache-Control', 'ETag'],
      },
    ],
    problems: [],
    rateLimited: false,
  },
];

import { z } from 'zod';
import {
  createUploadRequest,
  createUploadResponse,
  devLoginRequest,
  devLoginResponse,
  downloadUploadResponse,
  fieldError,
  healthAnswer,
  healthCheckResult,
  healthReport,
  listUploadsResponse,
  livenessReport,
  meResponse,
  namedHealthCheck,
  namedHealthCheckAnswer,
  publicHealthView,
  readinessAnswer,
  problemDetails,
  readinessReport,
  unknownHealthCheck,
  unknownHealthCheckAnswer,
  upload,
  uploadLimits,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
} from '@saas/shared/contracts';
import { IDEMPOTENCY_KEY_PATTERN } from '../idempotency/idempotency-key.ts';
import { operations, type OperationSpec, type ProblemStatus } from './operations.ts';

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, JsonSchema>>;
};

// Named schemas: components/schemas/<name>, referenced wherever the zod schema appears.
const REQUESTS = { DevLoginRequest: devLoginRequest, CreateUploadRequest: createUploadRequest };
const RESPONSES = {
  Problem: problemDetails,
  FieldError: fieldError,
  DevLoginResponse: devLoginResponse,
  Me: meResponse,
  UploadLimits: uploadLimits,
  CreateUploadResponse: createUploadResponse,
  Upload: upload,
  ListUploadsResponse: listUploadsResponse,
  DownloadUploadResponse: downloadUploadResponse,
  HealthReport: healthReport,
  HealthCheckResult: healthCheckResult,
  LivenessReport: livenessReport,
  ReadinessReport: readinessReport,
  NamedHealthCheck: namedHealthCheck,
  UnknownHealthCheck: unknownHealthCheck,
  PublicHealthView: publicHealthView,
  HealthAnswer: healthAnswer,
  ReadinessAnswer: readinessAnswer,
  NamedHealthCheckAnswer: namedHealthCheckAnswer,
  UnknownHealthCheckAnswer: unknownHealthCheckAnswer,
};

/** The /v1 contract's version (not the deploy's): bump it when the document changes. */
export const CONTRACT_VERSION = '1.1.0';

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

/**
 * zod → JSON Schema 2020-12 (the dialect of OpenAPI 3.1). Requests are described as zod
 * accepts them (`io: input`: strict objects say `additionalProperties: false`), responses as
 * the API produces them (`io: output`). A response object that zod does not declare strict
 * gets no `additionalProperties`: the API may add fields without breaking older clients (the
 * conformance tests close them, so an undocumented field still fails a test).
 */
function convert(
  named: Record<string, z.ZodType>,
  io: 'input' | 'output',
): { schemas: Record<string, JsonSchema>; of: (s: z.ZodType) => JsonSchema } {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const options = {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'throw',
    uri: (id: string) => `#/components/schemas/${id}`,
    override: (ctx: { zodSchema: unknown; jsonSchema: JsonSchema }) => {
      const def = (ctx.zodSchema as { _zod: { def: { type: string; catchall?: unknown } } })._zod
        .def;
      if (io === 'output' && def.type === 'object' && def.catchall === undefined)
        delete ctx.jsonSchema.additionalProperties;
    },
  } as const;
  const clean = (s: JsonSchema): JsonSchema => {
    const { $schema: _s, $id: _i, ...rest } = s;
    return rest;
  };
  const out = z.toJSONSchema(registry, options);
  const schemas = Object.fromEntries(
    Object.entries(out.schemas).map(([k, v]) => [k, clean(v as JsonSchema)]),
  );
  const names = new Map<z.ZodType, string>(
    Object.entries(named).map(([k, v]) => [v, k] as [z.ZodType, string]),
  );
  return {
    schemas,
    of: (s) => {
      const name = names.get(s);
      return name ? ref('schemas', name) : clean(z.toJSONSchema(s, options) as JsonSchema);
    },
  };
}

const PROBLEMS: Record<
  ProblemStatus,
  { description: string; types: string[]; headers?: string[] }
> = {
  400: {
    description: 'Invalid request: `errors` lists every field error by location and path.',
    types: [PROBLEM_TYPES.validation, PROBLEM_TYPES.malformedJson],
  },
  401: {
    description: 'No bearer token, or an invalid or expired one.',
    types: [PROBLEM_TYPES.unauthorized],
    headers: ['WWW-Authenticate'],
  },
  404: { description: 'No such resource (or not yours).', types: [PROBLEM_TYPES.notFound] },
  409: {
    description:
      'The resource is not in a state that allows this, or a request with the same Idempotency-Key is still in flight.',
    types: [PROBLEM_TYPES.conflict, PROBLEM_TYPES.idempotencyInFlight],
  },
  413: {
    description: 'The body is larger than BODY_LIMIT.',
    types: [PROBLEM_TYPES.payloadTooLarge],
  },
  415: {
    description: 'The body is not UTF-8 application/json.',
    types: [PROBLEM_TYPES.unsupportedMediaType],
    headers: ['Accept-Post'],
  },
  422: {
    description:
      'Well-formed but refused: an upload the policy does not accept (`errors` by path), or an Idempotency-Key reused with a different request.',
    types: [PROBLEM_TYPES.uploadPolicy, PROBLEM_TYPES.idempotencyKeyReused],
  },
  429: {
    description: 'Rate limit exceeded: retry after `Retry-After` seconds.',
    types: [PROBLEM_TYPES.rateLimited],
    headers: ['Retry-After'],
  },
  500: { description: 'A bug on our side; quote the request id.', types: [PROBLEM_TYPES.internal] },
  503: {
    description:
      'A dependency is unavailable (database, Redis, queue, token keys); retry after `Retry-After` seconds.',
    types: [PROBLEM_TYPES.unavailable],
    headers: ['Retry-After'],
  },
};

const PROBLEM_NAMES: Record<ProblemStatus, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  404: 'NotFound',
  409: 'Conflict',
  413: 'ContentTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableContent',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

const HEADERS: Record<string, JsonSchema> = {
  'X-Request-Id': {
    description:
      'The request id: in the API log line, the job and any Sentry event. Quote it in bug reports.',
    required: true,
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
  },
  RateLimit: {
    description:
      'IETF draft-ietf-httpapi-ratelimit-headers-08: `"<policy>"; r=<remaining>; t=<seconds to reset>` per limiter, comma-separated. Absent while the limit store is down and the limiter fails open.',
    schema: {
      type: 'string',
      pattern: '^"[A-Za-z0-9_-]+"; r=\\d+; t=\\d+(, "[A-Za-z0-9_-]+"; r=\\d+; t=\\d+)*$',
    },
  },
  'RateLimit-Policy': {
    description:
      'Draft-8 policy: `"<policy>"; q=<quota>; w=<window seconds>; pk=:<partition key hash>:`.',
    schema: {
      type: 'string',
      pattern:
        '^"[A-Za-z0-9_-]+"; q=\\d+; w=\\d+(; pk=:[A-Za-z0-9+/=]+:)?(, "[A-Za-z0-9_-]+"; q=\\d+; w=\\d+(; pk=:[A-Za-z0-9+/=]+:)?)*$',
    },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    required: true,
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  'WWW-Authenticate': {
    description: 'The authentication scheme (RFC 9110).',
    required: true,
    schema: { type: 'string', pattern: '^Bearer' },
  },
  'Accept-Post': {
    description: 'The media type this endpoint accepts.',
    required: true,
    schema: { type: 'string', const: 'application/json' },
  },
  Location: {
    description: 'The new resource.',
    required: true,
    schema: { type: 'string', pattern: '^/v1/uploads/[0-9a-f-]{36}$' },
  },
  'Cache-Control': {
    description: 'Caching rules for this answer.',
    required: true,
    schema: { type: 'string' },
  },
  ETag: {
    description: 'Strong validator of the document; send it back in If-None-Match.',
    required: true,
    schema: { type: 'string', pattern: '^"[A-Za-z0-9_-]+"$' },
  },
  'Idempotent-Replayed': {
    description:
      'Present (`true`) when this answer is the stored answer of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', const: 'true' },
  },
};

/** Headers every answer of an operation carries, whatever its status. */
const baseHeaders = (op: OperationSpec): string[] => [
  'X-Request-Id',
  ...(op.rateLimited ? ['RateLimit', 'RateLimit-Policy'] : []),
];

const headerRefs = (names: readonly string[]): Record<string, JsonSchema> =>
  Object.fromEntries(names.map((n) => [n, ref('headers', n)]));

const openApiPath = (express: string): string => express.replace(/:([A-Za-z_]\w*)/g, '{$1}');

/** `{limit, cursor}` object → one OpenAPI parameter per property. */
function parametersOf(where: 'path' | 'query', schema: JsonSchema | undefined): JsonSchema[] {
  if (!schema) return [];
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}

/** The OpenAPI 3.1 document of the API, from the zod contracts (deterministic: same input, same bytes). */
export function buildOpenApiDocument(): OpenApiDocument {
  const req = convert(REQUESTS, 'input');
  const res = convert(RESPONSES, 'output');
  const paths: OpenApiDocument['paths'] = {};

  for (const op of operations) {
    const base = baseHeaders(op);
    const responses: Record<string, JsonSchema> = {};
    for (const r of op.responses) {
      const content =
        r.body === null
          ? undefined
          : 'text' in r.body
            ? {
                [r.body.text]: {
                  schema:
                    r.body.text === 'application/json' ? { type: 'object' } : { type: 'string' },
                },
              }
            : { 'application/json': { schema: res.of(r.body) } };
      const replay = op.idempotent && r.status < 300 ? ['Idempotent-Replayed'] : [];
      responses[String(r.status)] = {
        description: r.description,
        headers: headerRefs([...base, ...(r.headers ?? []), ...replay]),
        ...(content ? { content } : {}),
      };
    }
    for (const status of op.problems)
      responses[String(status)] = ref('responses', PROBLEM_NAMES[status]);

    const parameters = [
      ...parametersOf('path', op.params ? (req.of(op.params) as JsonSchema) : undefined),
      ...parametersOf('query', op.query ? (req.of(op.query) as JsonSchema) : undefined),
      ...(op.idempotent ? [ref('parameters', 'IdempotencyKey')] : []),
    ];
    const operation: JsonSchema = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      description: op.description,
      security:
        op.security === 'user'
          ? [{ bearerAuth: [] }]
          : op.security === 'metrics'
            ? [{ metricsToken: [] }, {}]
            : [],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: req.of(op.body) } },
            },
          }
        : {}),
      responses,
    };
    (paths[openApiPath(op.path)] ??= {})[op.method] = operation;
  }

  // Problem responses carry the base headers of a rate-limited route: only /v1 routes use them.
  const problemHeaders = ['X-Request-Id', 'RateLimit', 'RateLimit-Policy'];
  const responses = Object.fromEntries(
    (Object.keys(PROBLEMS) as unknown as ProblemStatus[]).map((status) => {
      const p = PROBLEMS[status];
      return [
        PROBLEM_NAMES[status],
        {
          description: `${p.description} Problem types: ${p.types.map((t) => `\`${t}\``).join(', ')}.`,
          headers: headerRefs([...problemHeaders, ...(p.headers ?? [])]),
          content: {
            [PROBLEM_CONTENT_TYPE]: {
              schema: {
                allOf: [
                  ref('schemas', 'Problem'),
                  {
                    type: 'object',
                    properties: { status: { const: Number(status) }, type: { enum: p.types } },
                  },
                ],
              },
            },
          },
        },
      ];
    }),
  );

  return {
    openapi: '3.1.1',
    info: {
      title: 'SaaS starter API',
      version: CONTRACT_VERSION,
      description:
        'Generated from the zod contracts in shared/src/contracts (the schemas the API validates with) by `npm run openapi`. Every error is `application/problem+json` (RFC 9457) with `requestId`; switch on `type`, never on `title`. See docs/api.md.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: 'http://127.0.0.1:4000', description: 'Local development (npm run dev)' }],
    tags: [
      { name: 'auth', description: 'Who is signed in.' },
      { name: 'uploads', description: 'Uploads: signed PUT, complete, processing, download.' },
      { name: 'health', description: 'Probes and the health report (never rate limited).' },
      { name: 'meta', description: 'Metrics and this document.' },
    ],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas: { ...res.schemas, ...req.schemas },
      responses,
      headers: HEADERS,
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'A unique key per user action (a UUID). Within the retention window (IDEMPOTENCY_TTL_S, default 24 h) the same key with the same request replays the first answer (with `Idempotent-Replayed: true`) without doing the work again; with a different request → 422; while the first is still in flight → 409. Keys are scoped per user. When the key store is down → 503, never a duplicate.',
          schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
        },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Supabase Auth access token (or the dev login’s, in development).',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'METRICS_TOKEN, when it is set.',
        },
      },
    },
  };
}

import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '@saas/shared/logger';
import type { ObjectStorage } from '@saas/shared/storage';
import type { ApiConfig } from './config.ts';
import { hs256Secret } from './config.ts';
import type { ApiMetrics } from './metrics.ts';
import { createDevTokenSigner } from './auth/dev-tokens.ts';
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.ts';
import { requireUser } from './http/auth.ts';
import type { ConnectionDrain } from './http/connection-drain.ts';
import { compileOriginPattern, cors } from './http/cors.ts';
import { errorHandler } from './http/error-handler.ts';
import type { ErrorReporter } from './http/error-reporter.ts';
import { httpLogger } from './http/http-logger.ts';
import { httpMetrics } from './http/http-metrics.ts';
import { jsonBody } from './http/json-body.ts';
import { notFoundHandler } from './http/not-found.ts';
import { idempotency } from './idempotency/idempotency-middleware.ts';
import { createIdempotencyStore } from './idempotency/idempotency-store.ts';
import { buildOpenApiDocument } from './openapi/build-document.ts';
import { openApiRoute } from './openapi/openapi-route.ts';
import { byClientIp, byUserId, createRateLimiter, type RateLimitDeps } from './http/rate-limit.ts';
import type { RedisCaller } from '@saas/shared/rate-limit';
import { requestId } from './http/request-id.ts';
import { securityHeaders } from './http/security-headers.ts';
import { devAuthRoutes } from './routes/dev-auth.ts';
import { meRoutes } from './routes/me.ts';
import { uploadsRoutes } from './routes/uploads.ts';
import { createUploadRepository } from './uploads/repository.ts';
import { createUploadService, type ProcessUploadJobs } from './uploads/upload-service.ts';
import type { Sql } from 'postgres';
import { requestSpans, type Tracer } from '@saas/shared/tracing';
import type { Queue } from 'bullmq';
import { queueDashboard } from './queue-dashboard/queue-dashboard.ts';

export interface AppDeps {
  config: ApiConfig;
  logger: Logger;
  /** The API's metrics, registered on the process registry. */
  metrics: ApiMetrics;
  /** GET /health/* (built by the shared health module from the registry and the lifecycle). */
  healthRouter: RequestHandler;
  /** GET /metrics (Prometheus text; bearer-protected when METRICS_TOKEN is set). */
  metricsHandler: RequestHandler;
  reporter: ErrorReporter;
  /** Marks responses `Connection: close` once shutdown begins (main calls drain.begin()). */
  drain: ConnectionDrain;
  sql: Sql;
  /** Producer connection (no offline queue): rate-limit counters. */
  redis: RedisCaller;
  storage: ObjectStorage;
  jobs: ProcessUploadJobs;
  serializeError: (err: unknown) => unknown;
  /** Defaults to the verifier the config describes (HS256 secret and/or Supabase JWKS). */
  tokenVerifier?: TokenVerifier;
  /** Tracing on: a SERVER span per request, continuing the caller's `traceparent`. */
  tracer?: Tracer | undefined;
  /** Queues the dashboard shows when QUEUE_DASHBOARD_ENABLED (main: uploads + maintenance). */
  dashboardQueues?: readonly Queue[];
}

/**
 * The Express app, built from injected dependencies (main.ts wires the real ones; tests wire
 * the same real services on test databases and Redis prefixes). Middleware order matters:
 * request id first (every log line and error carries it), metrics and the access log around
 * everything, security headers, then health and metrics (before CORS and the rate limit: probes
 * and scrapes are never refused), CORS, the global limit, the versioned routes and the
 * problem+json tail.
 */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const env = config.env;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // 0 = the socket address is the client; n = trust n proxies' X-Forwarded-For entries.
  app.set('trust proxy', env.TRUST_PROXY_HOPS);
  app.set('query parser', 'simple');

  const secret = hs256Secret(config);
  const verifier =
    deps.tokenVerifier ??
    createTokenVerifier({
      audience: env.AUTH_JWT_AUDIENCE,
      hs256: secret ? { secret, issuer: config.jwtIssuer } : undefined,
      jwks: config.supabaseAuth
        ? {
            url: config.supabaseAuth.jwksUrl,
            issuer: config.supabaseAuth.issuer,
            cacheMaxAgeMs: env.AUTH_JWKS_CACHE_MAX_AGE_MS,
          }
        : undefined,
    });
  const bind = deps.reporter.bindRequest;
  const authenticated = requireUser(
    verifier,
    bind ? (req) => bind({ requestId: req.requestId, userId: req.user!.id }) : undefined,
  );

  const limiterDeps: RateLimitDeps = {
    redis: deps.redis,
    prefix: env.RATE_LIMIT_PREFIX,
    failOpen: env.RATE_LIMIT_FAIL_OPEN,
    storeTimeoutMs: env.RATE_LIMIT_STORE_TIMEOUT_MS,
    logger,
    metrics: deps.metrics,
  };
  const windowMs = env.RATE_LIMIT_WINDOW_MS;
  const globalLimiter = createRateLimiter(limiterDeps, {
    name: 'global',
    windowMs,
    limit: env.RATE_LIMIT_MAX,
    key: byClientIp,
    // The app-wide limit is a flood guard, not a quota: counted locally and reconciled with
    // Redis every 100 ms (bounded error, see shared/src/rate-limit), which takes a Redis round
    // trip off every request. The uploads and login limits stay exact (one call per request).
    batch: { syncIntervalMs: 100 },
  });
  const uploadsLimiter = createRateLimiter(limiterDeps, {
    name: 'uploads',
    windowMs,
    limit: env.RATE_LIMIT_UPLOADS_MAX,
    key: byUserId,
  });
  const body = jsonBody({ limit: env.BODY_LIMIT });

  const service = createUploadService({
    repo: createUploadRepository(deps.sql),
    storage: deps.storage,
    jobs: deps.jobs,
    limits: { maxBytes: env.UPLOAD_MAX_BYTES, allowedTypes: [...env.UPLOAD_ALLOWED_TYPES] },
    uploadUrlTtlS: env.UPLOAD_URL_TTL_S,
    downloadUrlTtlS: env.DOWNLOAD_URL_TTL_S,
    pendingTtlS: env.UPLOAD_PENDING_TTL_S,
    metrics: deps.metrics,
    logger,
  });

  // The span first: everything after it (the request id, auth, SQL, Redis, S3) runs inside it.
  if (deps.tracer) app.use(requestSpans(deps.tracer));
  app.use(requestId());
  if (bind) {
    app.use((req, _res, next) => {
      bind({ requestId: req.requestId });
      next();
    });
  }
  app.use(httpMetrics(deps.metrics));
  app.use(httpLogger(logger));
  app.use(securityHeaders({ production: config.production }));
  app.use(deps.drain.middleware);
  // Probes and scrapes: before CORS and the rate limit, so a platform probe is never refused.
  app.use(deps.healthRouter);
  app.get('/metrics', deps.metricsHandler);
  // Public and cacheable, its own CORS (any origin): before the strict CORS and the rate limit.
  app.get('/openapi.json', openApiRoute(buildOpenApiDocument()));
  // Same-origin pages for operators, behind their own authorization and CSP (never public).
  if (env.QUEUE_DASHBOARD_ENABLED && deps.dashboardQueues) {
    app.use(
      queueDashboard({
        queues: deps.dashboardQueues,
        verifier,
        token: env.QUEUE_DASHBOARD_TOKEN,
        adminRole: env.QUEUE_DASHBOARD_ADMIN_ROLE,
      }),
    );
  }
  app.use(
    cors({
      origins: env.CORS_ORIGINS,
      pattern: env.CORS_ORIGIN_PATTERN ? compileOriginPattern(env.CORS_ORIGIN_PATTERN) : undefined,
    }),
  );

  app.use(globalLimiter);
  if (config.devLoginEnabled && secret) {
    const signer = createDevTokenSigner({
      secret,
      issuer: config.jwtIssuer,
      audience: env.AUTH_JWT_AUDIENCE,
    });
    const loginLimiter = createRateLimiter(limiterDeps, {
      name: 'login',
      windowMs,
      limit: env.RATE_LIMIT_LOGIN_MAX,
      key: byClientIp,
    });
    app.use(devAuthRoutes({ signer, limiter: loginLimiter, jsonBody: body }));
  }
  app.use(meRoutes({ requireUser: authenticated }));
  app.use(
    uploadsRoutes({
      service,
      requireUser: authenticated,
      createLimiter: uploadsLimiter,
      jsonBody: body,
      idempotency: idempotency({
        store: createIdempotencyStore({
          redis: deps.redis,
          timeoutMs: env.RATE_LIMIT_STORE_TIMEOUT_MS,
        }),
        prefix: env.IDEMPOTENCY_PREFIX,
        ttlS: env.IDEMPOTENCY_TTL_S,
        logger,
      }),
    }),
  );

  app.use(notFoundHandler());
  app.use(
    errorHandler({
      logger,
      reporter: deps.reporter,
      // The same explicit, loopback-only opt-in as the dev login (never NODE_ENV alone).
      exposeStack: config.devLoginEnabled,
      serializeError: deps.serializeError,
    }),
  );
  return app;
}

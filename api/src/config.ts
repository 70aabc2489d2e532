import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  baseEnv,
  ConfigError,
  defaultProductionRules,
  defineConfig,
  type LoadConfigOptions,
  type ProductionRule,
  requiredInProduction,
} from '@saas/shared/config';
import { dbEnv } from '@saas/shared/db';
import { healthEnv } from '@saas/shared/health';
import { lifecycleEnv } from '@saas/shared/lifecycle';
import { loggerEnv } from '@saas/shared/logger';
import { observabilityEnv } from '@saas/shared/observability';
import { tracingEnv } from '@saas/shared/tracing';
import { redisEnv } from '@saas/shared/redis';
import { MAX_EXPIRES_IN_S, MAX_SINGLE_PUT_BYTES, storageEnv } from '@saas/shared/storage';
import { devModeProblems } from './dev-mode.ts';

/**
 * Signs dev-login tokens when AUTH_JWT_SECRET is unset and DEV_LOGIN_ENABLED=true (on
 * loopback only). Public on purpose (it is in the repository): production refuses to start
 * with it, and no process falls back to it without that explicit opt-in.
 */
export const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me-0123456789';

const list = (s: string): string[] =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

const isOrigin = (s: string): boolean => URL.canParse(s) && new URL(s).origin === s;

const compiles = (s: string): boolean => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
};

export const apiEnv = {
  HOST: z.string().min(1).default('127.0.0.1').meta({
    description:
      'Interface the HTTP server binds. Containers and Railway need 0.0.0.0 (or :: for IPv6).',
  }),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(4000)
    .meta({ description: 'HTTP port (Railway sets it).' }),
  CORS_ORIGINS: z
    .string()
    .meta({
      description:
        'Comma-separated exact origins allowed to call the API from a browser (scheme://host[:port], no path). Never *.',
      production:
        'The web app’s public origin(s). The default is for development: the local web under both names people type (localhost and 127.0.0.1).',
    })
    .default('http://localhost:3000,http://127.0.0.1:3000')
    .transform(list)
    .refine(
      (origins) => origins.every((o) => o === '*' || isOrigin(o)),
      'each entry must be an origin such as https://app.example.com',
    )
    .refine((origins) => !origins.includes('*'), 'a wildcard (*) is not allowed: list the origins'),
  CORS_ORIGIN_PATTERN: z
    .string()
    .min(1)
    .refine(compiles, 'must be a valid regular expression')
    .optional()
    .meta({
      description:
        'Optional regular expression (matched against the whole origin) for preview deployments, e.g. https://myapp-[a-z0-9-]+-myteam\\.vercel\\.app.',
    }),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0).meta({
    description:
      'Reverse proxies in front of the API whose X-Forwarded-For is trusted (Express trust proxy hop count). 0: the socket address is the client. Railway: 1.',
  }),
  RATE_LIMIT_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60000)
    .meta({ description: 'Rate-limit window for every limiter.' }),
  RATE_LIMIT_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .default(300)
    .meta({ description: 'Requests per client IP per window, all /v1 routes together.' }),
  RATE_LIMIT_UPLOADS_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .meta({ description: 'Uploads a user may create per window (keyed by user id).' }),
  RATE_LIMIT_LOGIN_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .meta({ description: 'Dev-login attempts per client IP per window.' }),
  RATE_LIMIT_FAIL_OPEN: z.stringbool().default(true).meta({
    description:
      'When Redis cannot answer: true lets requests through unlimited (logged, counted in rate_limit_store_errors_total); false answers 503.',
  }),
  RATE_LIMIT_PREFIX: z.string().min(1).default('rl:').meta({
    description: 'Redis key prefix of the rate-limit counters (shared by every replica).',
  }),
  RATE_LIMIT_STORE_TIMEOUT_MS: z.coerce.number().int().min(10).default(500).meta({
    description: 'How long a request waits for the rate-limit store before treating it as down.',
  }),
  IDEMPOTENCY_TTL_S: z.coerce.number().int().min(60).default(86400).meta({
    description:
      'How long an Idempotency-Key and its stored answer are kept (POST /v1/uploads, POST /v1/uploads/:id/complete): a retry with the same key within this window replays the first answer.',
  }),
  IDEMPOTENCY_PREFIX: z.string().min(1).default('idem:').meta({
    description: 'Redis key prefix of the idempotency records (shared by every replica).',
  }),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size such as 16kb or 1mb')
    .default('16kb')
    .meta({
      description: 'Largest JSON body accepted (413 above). Files never pass through the API.',
    }),
  AUTH_JWT_SECRET: z.string().min(1).optional().meta({
    description:
      'HS256 secret that verifies bearer tokens (and signs dev-login tokens). Required unless SUPABASE_URL (Supabase JWKS) is set or DEV_LOGIN_ENABLED=true (then a public dev secret signs the dev tokens). Legacy HS256 Supabase projects set their JWT secret here.',
    secret: true,
    production: 'Required unless SUPABASE_URL is set; at least 32 random characters.',
  }),
  AUTH_JWT_ISSUER: z.string().min(1).optional().meta({
    description:
      'Expected `iss` of HS256 tokens. Default: <SUPABASE_URL>/auth/v1 when set, else saas-api-dev.',
  }),
  AUTH_JWT_AUDIENCE: z
    .string()
    .min(1)
    .default('authenticated')
    .meta({ description: 'Expected `aud` of every token (Supabase: authenticated).' }),
  QUEUE_DASHBOARD_ENABLED: z.stringbool().default(false).meta({
    description:
      'Serve the queue dashboard (bull-board) at /admin/queues, for QUEUE_DASHBOARD_TOKEN (HTTP Basic, any user name) or a JWT whose app_metadata.role is QUEUE_DASHBOARD_ADMIN_ROLE. Never public.',
    production: 'When on, QUEUE_DASHBOARD_TOKEN must be set.',
  }),
  QUEUE_DASHBOARD_TOKEN: z.string().min(32).optional().meta({
    description:
      'Password of the queue dashboard (HTTP Basic, any user name): what an operator types in the browser. At least 32 characters.',
    secret: true,
  }),
  QUEUE_DASHBOARD_ADMIN_ROLE: z.string().min(1).default('admin').meta({
    description:
      'app_metadata.role a bearer JWT needs to open the queue dashboard (Supabase: set by the service role only).',
  }),
  AUTH_JWKS_CACHE_MAX_AGE_MS: z.coerce.number().int().min(1000).default(600_000).meta({
    description:
      'With SUPABASE_URL: the JWKS is fetched again once it is this old. While the endpoint is down the keys held keep verifying their tokens; a token with an unknown key id answers 503.',
  }),
  DEV_LOGIN_ENABLED: z.stringbool().default(false).meta({
    description:
      'Local development only, an explicit opt-in (`npm run dev` writes it into .env): serves POST /v1/dev/login (signs in any email, no password), lets the public dev JWT secret sign tokens when AUTH_JWT_SECRET is unset, and puts stack traces in 500 bodies. Refused unless HOST is loopback (127.0.0.1, ::1, localhost); refused in production.',
  }),
  DEV_LOGIN_LOOPBACK_PUBLISHED: z.stringbool().default(false).meta({
    description:
      'Containers only (docker compose): the API must listen on 0.0.0.0 inside its container, and its port is published on 127.0.0.1 only. true lets DEV_LOGIN_ENABLED=true run on a non-loopback HOST; a second explicit opt-in, still refused in production.',
  }),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_SINGLE_PUT_BYTES)
    .default(10 * 1024 * 1024)
    .meta({ description: 'Largest upload accepted, in bytes (default 10 MiB).' }),
  UPLOAD_ALLOWED_TYPES: z
    .string()
    .meta({ description: 'Comma-separated media types a client may upload.' })
    .default('image/png,image/jpeg,image/gif,image/webp,application/pdf')
    .transform((s) => list(s).map((t) => t.toLowerCase()))
    .refine(
      (types) => types.length > 0 && types.every((t) => /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(t)),
      'a list of media types',
    ),
  UPLOAD_URL_TTL_S: z.coerce
    .number()
    .int()
    .min(10)
    .max(MAX_EXPIRES_IN_S)
    .default(300)
    .meta({ description: 'Lifetime of a signed upload URL, in seconds.' }),
  DOWNLOAD_URL_TTL_S: z.coerce
    .number()
    .int()
    .min(10)
    .max(MAX_EXPIRES_IN_S)
    .default(300)
    .meta({ description: 'Lifetime of a signed download URL, in seconds.' }),
  UPLOAD_PENDING_TTL_S: z.coerce.number().int().min(60).default(86400).meta({
    description:
      'An upload not completed within this many seconds is removed by the cleanup job (row and object).',
  }),
};

/**
 * Origins a stranger can own: any site, and any app on the shared preview hosts (anyone can
 * deploy `<anything>.vercel.app`). A production CORS_ORIGIN_PATTERN matching one of them lets
 * that site call the API with a user's token from the browser.
 */
const FOREIGN_ORIGINS = [
  'https://evil.example',
  'https://evil.vercel.app',
  'https://attacker-app-git-main-attacker.vercel.app',
  'https://x.vercel.app',
  'https://evil.netlify.app',
  'https://evil.pages.dev',
  'https://evil.onrender.com',
  'https://evil.up.railway.app',
];

/** The dev default secret, a missing secret without JWKS, or a catch-all CORS pattern. */
const apiProductionRules: ProductionRule<Readonly<Record<string, unknown>>>[] = [
  (c) =>
    c.AUTH_JWT_SECRET === DEV_JWT_SECRET
      ? 'AUTH_JWT_SECRET is the public development secret: set a long random one (openssl rand -base64 48)'
      : undefined,
  (c) =>
    c.AUTH_JWT_SECRET === undefined && c.SUPABASE_URL === undefined
      ? 'AUTH_JWT_SECRET is required in production unless SUPABASE_URL (Supabase JWKS) is set'
      : undefined,
  (c) =>
    c.QUEUE_DASHBOARD_ENABLED === true && c.QUEUE_DASHBOARD_TOKEN === undefined
      ? 'QUEUE_DASHBOARD_ENABLED needs QUEUE_DASHBOARD_TOKEN in production (a long random one): the dashboard is never served without it'
      : undefined,
  (c) => {
    const p = c.CORS_ORIGIN_PATTERN;
    if (typeof p !== 'string') return undefined;
    const re = new RegExp(`^(?:${p})$`);
    const hit = FOREIGN_ORIGINS.find((origin) => re.test(origin));
    return hit
      ? `CORS_ORIGIN_PATTERN matches origins anyone can create (tested with ${hit}): scope it to your own project and team, e.g. https://myapp-[a-z0-9-]+-myteam\\.vercel\\.app`
      : undefined;
  },
];

export const apiConfig = defineConfig({
  shape: {
    ...baseEnv,
    ...loggerEnv,
    ...observabilityEnv,
    ...tracingEnv,
    ...dbEnv,
    ...redisEnv,
    ...storageEnv,
    ...healthEnv,
    ...lifecycleEnv,
    ...apiEnv,
  },
  // /metrics and the full health report are public without METRICS_TOKEN.
  productionRules: [
    ...defaultProductionRules,
    requiredInProduction(['METRICS_TOKEN']),
    ...apiProductionRules,
  ],
});

/** The env schema of the API process (docs/env.md and .env.example are generated from it). */
export const apiEnvSchema = apiConfig.schema;

export type ApiEnv = z.output<typeof apiEnvSchema>;

/** The parsed env plus the values derived from it, resolved once at start. */
export interface ApiConfig {
  /** The validated env; printing it (JSON, inspect) shows secrets redacted. */
  env: Readonly<ApiEnv>;
  production: boolean;
  devLoginEnabled: boolean;
  /** Expected `iss` of HS256 tokens, and the one dev-login tokens carry. */
  jwtIssuer: string;
  /** Set when SUPABASE_URL is: ES256/RS256 tokens verified against Supabase's JWKS. */
  supabaseAuth: { jwksUrl: string; issuer: string } | undefined;
  version: string;
}

/**
 * Resolves the derived values and refuses, in every environment, what would expose the dev
 * login or fall back to the public dev secret: throws ConfigError naming the variable.
 */
export function resolveApiConfig(env: Readonly<ApiEnv>): ApiConfig {
  const problems = devModeProblems(env);
  if (problems.length > 0) throw new ConfigError('Refusing to start:', problems);
  const production = env.NODE_ENV === 'production';
  const supabaseBase = env.SUPABASE_URL?.replace(/\/+$/, '');
  const supabaseIssuer = supabaseBase ? `${supabaseBase}/auth/v1` : undefined;
  return {
    env,
    production,
    devLoginEnabled: env.DEV_LOGIN_ENABLED && !production,
    jwtIssuer: env.AUTH_JWT_ISSUER ?? supabaseIssuer ?? 'saas-api-dev',
    supabaseAuth: supabaseIssuer
      ? { jwksUrl: `${supabaseIssuer}/.well-known/jwks.json`, issuer: supabaseIssuer }
      : undefined,
    version: env.SERVICE_VERSION ?? env.RAILWAY_GIT_COMMIT_SHA ?? packageVersion(),
  };
}

/**
 * The HS256 secret, read where it is used rather than copied into ApiConfig (which stays safe
 * to print). The public dev secret only with the explicit dev-login opt-in. Undefined: HS256
 * tokens are refused (Supabase JWKS only).
 */
export const hs256Secret = (config: ApiConfig): string | undefined =>
  config.env.AUTH_JWT_SECRET ?? (config.devLoginEnabled ? DEV_JWT_SECRET : undefined);

function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    );
    return typeof pkg === 'object' && pkg !== null && 'version' in pkg
      ? String(pkg.version)
      : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Reads, validates and resolves the API's config; throws ConfigError naming every problem. */
export function loadApiConfig(
  options?: Omit<LoadConfigOptions<ApiEnv>, 'productionRules'>,
): ApiConfig {
  return resolveApiConfig(apiConfig.load(options));
}

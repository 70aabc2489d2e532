// The web's response headers, computed once at build time by next.config.ts (NEXT_PUBLIC_* are
// build-time values too). Kept out of next.config so a test can read the policy it produces.

export interface SecurityHeaderOptions {
  production: boolean;
  /** NEXT_PUBLIC_API_URL: an origin (direct calls, strict CORS) or a same-origin path (rewrite). */
  apiUrl: string;
  /** Origins the browser PUTs signed uploads to (the object store's public endpoint). */
  storageOrigins: readonly string[];
  /** Supabase project URL: Auth's REST calls (and Storage, with the supabase driver). */
  supabaseUrl?: string | undefined;
  /** Sentry DSN: events go to its ingest host. */
  sentryDsn?: string | undefined;
}

export interface Header {
  key: string;
  value: string;
}

const originOf = (url: string | undefined): string | undefined => {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** Where the page may connect: itself, the API, the object store, and Supabase/Sentry when configured. */
export function connectSources(o: SecurityHeaderOptions): string[] {
  const list = [
    "'self'",
    originOf(o.apiUrl),
    ...o.storageOrigins.map(originOf),
    originOf(o.supabaseUrl),
    originOf(o.sentryDsn),
  ].filter((v): v is string => v !== undefined);
  return [...new Set(list)];
}

/**
 * Scripts come only from this origin. 'unsafe-inline' stays for scripts because the App Router
 * streams its payload in inline <script> tags and a nonce would force every page to render per
 * request (no static pages, no CDN cache); with no third-party origin allowed anywhere, an
 * injected script still cannot load code from or send data to a foreign host. Development
 * also needs 'unsafe-eval' (React's dev tooling).
 */
export function contentSecurityPolicy(o: SecurityHeaderOptions): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", "'unsafe-inline'", ...(o.production ? [] : ["'unsafe-eval'"])],
    ['style-src', "'self'", ...(o.production ? [] : ["'unsafe-inline'"])],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', ...connectSources(o)],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
    // Only where the API is on https too: a production build tested on http://localhost
    // (e2e, Lighthouse) would otherwise have its API calls upgraded to https and fail.
    ...(o.production && !/^http:/i.test(o.apiUrl)
      ? ([['upgrade-insecure-requests']] as [string][])
      : []),
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/**
 * The same values as web/vercel.json's `headers` where both set one (Vercel applies both lists):
 * next.config covers `next start`, the standalone server and docker; vercel.json the platform.
 */
export function securityHeaders(o: SecurityHeaderOptions): Header[] {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(o) },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    {
      key: 'Permissions-Policy',
      value: 'camera=(), microphone=(), geolocation=(), browsing-topics=()',
    },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    // Older browsers ignore frame-ancestors; this says the same to them.
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    // HSTS only in production: on http://localhost it would pin the browser to https.
    ...(o.production
      ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]
      : []),
  ];
}

/**
 * The object store's public origins: NEXT_PUBLIC_STORAGE_ORIGINS when set; else Supabase's
 * (Storage API and its S3 endpoint) when Supabase is configured; else the local s3rver.
 */
export function storageOriginsFrom(env: {
  storageOrigins?: string | undefined;
  supabaseUrl?: string | undefined;
}): string[] {
  const explicit = (env.storageOrigins ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (explicit.length > 0) return explicit;
  const supabase = originOf(env.supabaseUrl);
  if (supabase) {
    const u = new URL(supabase);
    // Hosted projects also serve storage from <ref>.storage.<domain>; a local or self-hosted
    // stack on an IP address or a one-label host serves it from the same origin (/storage/v1).
    const ipLiteral = /^\d+(\.\d+){3}$/.test(u.hostname) || u.hostname.startsWith('[');
    const [ref, ...rest] = u.hostname.split('.');
    return rest.length > 0 && !ipLiteral
      ? [supabase, `${u.protocol}//${ref}.storage.${rest.join('.')}`]
      : [supabase];
  }
  return ['http://127.0.0.1:9000', 'http://localhost:9000'];
}

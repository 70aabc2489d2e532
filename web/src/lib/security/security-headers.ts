// The web's response headers: the static ones for next.config.ts, and the Content-Security-Policy
// that src/proxy.ts sets on every page with a fresh nonce. The policy's origins are build-time
// values (NEXT_PUBLIC_*). Kept out of next.config and the proxy so a test can read what they send.

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
 * Scripts: only those carrying this response's nonce, and what they load ('strict-dynamic':
 * Next's runtime adds its chunks as <script> elements). No 'unsafe-inline': the session token
 * is in localStorage, readable by any script that runs on the origin, so an injected inline
 * script or event handler must not run at all — once one runs, it can use the token or carry
 * it away by navigation, which no connect-src stops. The nonce is new for every response
 * (src/proxy.ts), so every page renders per request. 'self' is a fallback for browsers without
 * 'strict-dynamic' (CSP 2), which ignore it. Development also needs 'unsafe-eval' (React's
 * dev tooling) and inline styles (the dev overlay).
 */
export function contentSecurityPolicy(o: SecurityHeaderOptions & { nonce: string }): string {
  if (!NONCE_PATTERN.test(o.nonce)) throw new Error('CSP nonce must be base64, 22+ characters');
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    [
      'script-src',
      "'self'",
      `'nonce-${o.nonce}'`,
      "'strict-dynamic'",
      ...(o.production ? [] : ["'unsafe-eval'"]),
    ],
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

/** base64 of at least 16 bytes (CSP3 asks for 128 bits), nothing that could end the source. */
const NONCE_PATTERN = /^[A-Za-z0-9+/]{22,}={0,2}$/;

/** A fresh nonce: 128 random bits, base64 (Web Crypto: the same in Node and the edge runtime). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The headers that are the same on every response, computed once at build time by
 * next.config.ts, and the same values as web/vercel.json's `headers` where both set one (Vercel
 * applies both lists): next.config covers `next start`, the standalone server and docker; vercel.json
 * the platform. The Content-Security-Policy is not among them: it carries a per-response nonce
 * and is set by src/proxy.ts (a second, static CSP anywhere would be enforced as well and block
 * the nonce'd scripts).
 */
export function securityHeaders(o: { production: boolean }): Header[] {
  return [
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

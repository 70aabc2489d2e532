// NEXT_PUBLIC_* values are inlined into the browser bundle at build time, and only when the
// code names them literally (process.env.NEXT_PUBLIC_X): no dynamic lookups here.

const trimSlash = (s: string): string => s.replace(/\/+$/, '');
const orUndefined = (s: string | undefined): string | undefined =>
  s && s.trim() !== '' ? s.trim() : undefined;

export interface PublicEnv {
  /** Base of every API call: an origin (direct, strict CORS) or a same-origin path such as /api (rewrite). */
  apiUrl: string;
  supabaseUrl: string | undefined;
  /**
   * Supabase's publishable key (sb_publishable_…, public by design): NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
   * else the deprecated NEXT_PUBLIC_SUPABASE_ANON_KEY (next.config.ts warns at build time).
   */
  supabasePublishableKey: string | undefined;
  sentryDsn: string | undefined;
  /** Sentry `environment`: the Vercel environment when there is one. */
  environment: string;
}

export const publicEnv: PublicEnv = {
  apiUrl: trimSlash(orUndefined(process.env.NEXT_PUBLIC_API_URL) ?? 'http://127.0.0.1:4000'),
  supabaseUrl: orUndefined(process.env.NEXT_PUBLIC_SUPABASE_URL),
  supabasePublishableKey:
    orUndefined(process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY) ??
    orUndefined(process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY),
  sentryDsn: orUndefined(process.env.NEXT_PUBLIC_SENTRY_DSN),
  environment:
    orUndefined(process.env.NEXT_PUBLIC_VERCEL_ENV) ?? process.env.NODE_ENV ?? 'development',
};

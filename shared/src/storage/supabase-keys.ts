/** The Supabase key variables of storageEnv: the current name and its deprecated alias. */
export interface SupabaseKeyEnv {
  SUPABASE_SECRET_KEY?: string | undefined;
  SUPABASE_SERVICE_ROLE_KEY?: string | undefined;
}

/** The server-side Supabase key: SUPABASE_SECRET_KEY, else the legacy SUPABASE_SERVICE_ROLE_KEY. */
export const supabaseSecretKey = (env: SupabaseKeyEnv): string | undefined =>
  env.SUPABASE_SECRET_KEY ?? env.SUPABASE_SERVICE_ROLE_KEY;

/**
 * What a process logs once at start about its Supabase key variables: the deprecated name in
 * use, or both set (the new one wins). Names only, never a value.
 */
export function supabaseKeyWarnings(env: SupabaseKeyEnv): string[] {
  if (!env.SUPABASE_SERVICE_ROLE_KEY) return [];
  return env.SUPABASE_SECRET_KEY
    ? [
        'SUPABASE_SERVICE_ROLE_KEY is ignored: SUPABASE_SECRET_KEY is set and wins. Remove the deprecated variable.',
      ]
    : [
        'SUPABASE_SERVICE_ROLE_KEY is deprecated: rename it to SUPABASE_SECRET_KEY, and move to a secret key (sb_secret_…) before Supabase retires the service_role JWT keys (end of 2026).',
      ];
}

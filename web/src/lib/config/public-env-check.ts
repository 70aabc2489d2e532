// Build-time checks of the NEXT_PUBLIC_* variables, run by next.config.ts (so by `next build`
// and `next dev`): everything under that prefix is inlined into the JavaScript every visitor
// downloads. A Supabase secret key there hands every visitor full access to the project
// (it bypasses row-level security), so the build stops. Messages name variables, never values.
// The API and the worker refuse the same in production at start (@saas/shared/config's
// noSecretKeyInPublicVars); this file imports only that module's pure detector.
import { isSupabaseSecretKey } from '../../../../shared/src/config/production-rules.ts';

export interface PublicEnvCheck {
  /** The build must stop. */
  errors: string[];
  /** Printed, the build goes on (deprecated names). */
  warnings: string[];
}

/** Supabase's publishable key, in the browser: the current name, then the legacy one. */
export const PUBLISHABLE_KEY_VAR = 'NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY';
export const LEGACY_ANON_KEY_VAR = 'NEXT_PUBLIC_SUPABASE_ANON_KEY';

/** What kind of Supabase secret a value is, if it is one. */
export function supabaseSecretKind(value: string): string | undefined {
  // The new secret keys (sb_secret_…) are not JWTs; anywhere in the value (a quoted or
  // concatenated paste still leaks).
  if (/sb_secret_/i.test(value)) return 'a Supabase secret key (sb_secret_…)';
  // The same test the API and worker run on NEXT_PUBLIC_* at start (a service_role JWT).
  if (isSupabaseSecretKey(value.trim())) return 'a Supabase service_role key (a JWT)';
  return undefined;
}

export function checkPublicEnv(env: Readonly<Record<string, string | undefined>>): PublicEnvCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('NEXT_PUBLIC_') || !value) continue;
    const kind = supabaseSecretKind(value);
    if (kind)
      errors.push(
        `${name} holds ${kind}. Every NEXT_PUBLIC_* value is inlined into the JavaScript sent to every visitor, and a secret key bypasses row-level security. Put the publishable key (sb_publishable_…) in ${PUBLISHABLE_KEY_VAR}; a secret key belongs only to the API and the worker (SUPABASE_SECRET_KEY). Rotate the key if this build was ever deployed.`,
      );
  }
  const current = env[PUBLISHABLE_KEY_VAR]?.trim();
  const legacy = env[LEGACY_ANON_KEY_VAR]?.trim();
  if (legacy && !current)
    warnings.push(
      `${LEGACY_ANON_KEY_VAR} is deprecated: rename it to ${PUBLISHABLE_KEY_VAR} (Supabase's publishable key, sb_publishable_…; the legacy anon JWT still works there until Supabase retires it).`,
    );
  if (legacy && current && legacy !== current)
    warnings.push(
      `${LEGACY_ANON_KEY_VAR} and ${PUBLISHABLE_KEY_VAR} are both set and differ: ${PUBLISHABLE_KEY_VAR} is used; remove ${LEGACY_ANON_KEY_VAR}.`,
    );
  return { errors, warnings };
}

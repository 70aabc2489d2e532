/**
 * A check run on the parsed config when NODE_ENV=production. Returns a message naming the
 * variable when the setting is unsafe, undefined when it is fine. Never put the value of a
 * secret in the message. `source` holds every variable the process sees (environment and
 * .env), the ones its schema does not read too.
 */
export type ProductionRule<C = Readonly<Record<string, unknown>>> = (
  config: C,
  source?: Readonly<Record<string, string>>,
) => string | undefined;

type AnyConfig = Readonly<Record<string, unknown>>;

/** A wildcard in the CORS allow-list (string "a,b" or parsed array): list the origins instead. */
export function noWildcardCorsOrigin(variable = 'CORS_ORIGINS'): ProductionRule<AnyConfig> {
  return (config) => {
    const value = config[variable];
    const origins = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
    return origins.some((origin) => origin.includes('*'))
      ? `${variable} contains a wildcard (*): list the allowed origins explicitly, preview deployments included`
      : undefined;
  };
}

/** The dev-only login signs anyone in. */
export function noDevLogin(variable = 'DEV_LOGIN_ENABLED'): ProductionRule<AnyConfig> {
  return (config) =>
    config[variable] === true || config[variable] === 'true'
      ? `${variable}=true is refused in production: the dev login signs anyone in`
      : undefined;
}

/** Variables optional in development that production must set (secrets, DSNs, tokens). */
export function requiredInProduction(variables: readonly string[]): ProductionRule<AnyConfig> {
  return (config) => {
    const missing = variables.filter((name) => config[name] === undefined || config[name] === '');
    return missing.length > 0
      ? `required in production but not set: ${missing.join(', ')}`
      : undefined;
  };
}

// Public defaults of the local S3 servers (s3rver, MinIO): not secret, so naming them is fine.
const LOCAL_S3_KEYS = new Set(['S3RVER', 'minioadmin']);

/** S3 credentials left at the local server's defaults. */
export function noLocalS3Credentials(
  variables: readonly string[] = ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'],
): ProductionRule<AnyConfig> {
  return (config) => {
    const local = variables.filter((name) => LOCAL_S3_KEYS.has(String(config[name])));
    return local.length > 0
      ? `${local.join(', ')} left at the local S3 server's default (S3RVER/minioadmin): set real credentials`
      : undefined;
  };
}

/** A shared secret too short to resist brute force (HS256 wants at least 32 random bytes). */
export function minSecretLength(variable = 'AUTH_JWT_SECRET', min = 32): ProductionRule<AnyConfig> {
  return (config) => {
    const value = config[variable];
    return typeof value === 'string' && value.length < min
      ? `${variable} is shorter than ${min} characters: use a long random secret (openssl rand -base64 48)`
      : undefined;
  };
}

/** A Supabase secret key (sb_secret_…) or a legacy service_role JWT. */
export function isSupabaseSecretKey(value: string): boolean {
  if (value.startsWith('sb_secret_')) return true;
  const payload = value.split('.')[1];
  if (!value.startsWith('eyJ') || !payload) return false;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && 'role' in claims
      ? claims.role === 'service_role'
      : false;
  } catch {
    return false;
  }
}

/**
 * A Supabase secret key in a NEXT_PUBLIC_* variable: Next.js inlines those into the browser
 * bundle, where the key bypasses row-level security for anyone who reads it. Checks every
 * variable the process sees, not only its own schema's.
 */
export function noSecretKeyInPublicVars(): ProductionRule<AnyConfig> {
  return (_config, source = {}) => {
    const leaked = Object.entries(source)
      .filter(([name, value]) => name.startsWith('NEXT_PUBLIC_') && isSupabaseSecretKey(value))
      .map(([name]) => name);
    return leaked.length > 0
      ? `${leaked.join(', ')} holds a Supabase secret key (sb_secret_… or a service_role JWT): NEXT_PUBLIC_* variables are shipped to every browser. Use the publishable key there and rotate the secret key now`
      : undefined;
  };
}

/**
 * The generic rules, each a no-op when its variable is absent from the config: every process
 * can pass them all, then add its own `requiredInProduction([...])`.
 */
export const defaultProductionRules: readonly ProductionRule<AnyConfig>[] = [
  noWildcardCorsOrigin(),
  noDevLogin(),
  noLocalS3Credentials(),
  minSecretLength(),
  noSecretKeyInPublicVars(),
];

/** Hosts that only this machine can reach. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export const isLoopbackHost = (host: string): boolean =>
  LOOPBACK_HOSTS.has(host.trim().toLowerCase());

interface DevModeEnv {
  HOST: string;
  DEV_LOGIN_ENABLED: boolean;
  DEV_LOGIN_LOOPBACK_PUBLISHED: boolean;
  AUTH_JWT_SECRET?: string | undefined;
  SUPABASE_URL?: string | undefined;
}

/**
 * What the API refuses in every environment, not only when NODE_ENV=production (a deploy that
 * forgets NODE_ENV must not sign anyone in): the dev login on an interface others can reach,
 * and no way to verify tokens but the public dev secret without the dev-login opt-in.
 * Messages name the variable, never a value.
 */
export function devModeProblems(env: DevModeEnv): string[] {
  const problems: string[] = [];
  if (env.DEV_LOGIN_ENABLED && !isLoopbackHost(env.HOST) && !env.DEV_LOGIN_LOOPBACK_PUBLISHED) {
    problems.push(
      `DEV_LOGIN_ENABLED=true is only allowed when the API listens on loopback (HOST=127.0.0.1, ::1 or localhost), not HOST=${env.HOST}: the dev login signs anyone in (in a container whose port is published on 127.0.0.1 only, also set DEV_LOGIN_LOOPBACK_PUBLISHED=true)`,
    );
  }
  if (
    !env.DEV_LOGIN_ENABLED &&
    env.AUTH_JWT_SECRET === undefined &&
    env.SUPABASE_URL === undefined
  ) {
    problems.push(
      'AUTH_JWT_SECRET is not set (nor SUPABASE_URL for Supabase JWKS): set a long random secret (openssl rand -base64 48), or DEV_LOGIN_ENABLED=true for local development on loopback',
    );
  }
  return problems;
}

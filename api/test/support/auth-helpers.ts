import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ApiConfig } from '../../src/config.ts';
import { hs256Secret } from '../../src/config.ts';

/** A token like the dev login's (or Supabase's HS256 one) for a given user id. */
export async function tokenFor(
  config: ApiConfig,
  opts: {
    sub?: string;
    email?: string;
    role?: string;
    expiresInS?: number;
    issuer?: string;
    audience?: string;
    secret?: string;
  } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    role: opts.role ?? 'authenticated',
    ...(opts.email ? { email: opts.email } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(opts.issuer ?? config.jwtIssuer)
    .setAudience(opts.audience ?? config.env.AUTH_JWT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresInS ?? 600));
  if (opts.sub !== '') jwt.setSubject(opts.sub ?? randomUUID());
  return jwt.sign(new TextEncoder().encode(opts.secret ?? hs256Secret(config)!));
}

export const bearer = (token: string): { Authorization: string } => ({
  Authorization: `Bearer ${token}`,
});

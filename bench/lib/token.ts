import { SignJWT } from 'jose';

/** An HS256 access token like the API's dev login issues (sub, role, iss, aud, exp). */
export async function signToken(opts: {
  secret: string;
  issuer: string;
  audience?: string;
  sub: string;
  expiresInS?: number;
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.sub)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience ?? 'authenticated')
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresInS ?? 3600))
    .sign(new TextEncoder().encode(opts.secret));
}

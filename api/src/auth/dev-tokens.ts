import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';

// Fixed namespace for dev user ids: the same email always maps to the same user (and so to
// the same uploads) across restarts and machines.
const DEV_USER_NAMESPACE = 'b5c0f0a2-4f7e-4d0e-9a61-3c1d7e2f8a90';

/** A name-based (v5) UUID of the normalized email: uploads.owner_id is a uuid column. */
export function devUserId(email: string): string {
  const ns = Buffer.from(DEV_USER_NAMESPACE.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(ns).update(email.trim().toLowerCase(), 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface DevTokenSigner {
  sign(email: string): Promise<{ accessToken: string; expiresAt: Date }>;
}

/**
 * Signs what Supabase Auth would issue for a signed-in user (HS256, role authenticated, the
 * same issuer and audience the verifier expects), so the rest of the API cannot tell the dev
 * login apart from the real one.
 */
export function createDevTokenSigner(opts: {
  secret: string;
  issuer: string;
  audience: string;
  ttlS?: number;
}): DevTokenSigner {
  const key = new TextEncoder().encode(opts.secret);
  const ttlS = opts.ttlS ?? 3600;
  return {
    async sign(email) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + ttlS;
      const accessToken = await new SignJWT({
        role: 'authenticated',
        email: email.trim().toLowerCase(),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(devUserId(email))
        .setIssuer(opts.issuer)
        .setAudience(opts.audience)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(key);
      return { accessToken, expiresAt: new Date(exp * 1000) };
    },
  };
}

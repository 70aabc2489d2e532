import {
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { AuthUser } from '../http/request-context.ts';
import { createJwksKeySource } from './jwks-key-source.ts';

export interface TokenVerifierOptions {
  audience: string;
  /** HS256 shared secret (dev login; legacy Supabase projects). */
  hs256?: { secret: string; issuer: string } | undefined;
  /**
   * Supabase Auth's JWKS (ES256/RS256), fetched and cached by jose; the keys held keep
   * verifying while the endpoint is down (jwks-key-source.ts).
   */
  jwks?: { url: string; issuer: string; cacheMaxAgeMs?: number; timeoutMs?: number } | undefined;
  clockToleranceS?: number;
  /**
   * Verified tokens are remembered (by their full text, signature included) for up to ttlMs
   * and never past their `exp`: an HS256 verification costs ~60 µs of WebCrypto per request,
   * a lookup ~1 µs. A tampered token is a different string and is verified in full.
   * Default: 10,000 tokens, 60 s. maxEntries 0 turns it off.
   */
  cache?: { maxEntries?: number; ttlMs?: number };
  /** Clock (tests); jose's checks use it too. */
  now?: () => number;
}

export interface TokenVerifier {
  /** The user, or throws: InvalidTokenError (401) or anything else (the key source failed: 503). */
  verify(token: string): Promise<AuthUser>;
}

/** The token is not acceptable: always a 401, whatever the reason (the reason is not echoed). */
export class InvalidTokenError extends Error {
  constructor(reason: string, cause?: unknown) {
    super(reason, cause === undefined ? undefined : { cause });
    this.name = 'InvalidTokenError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// jose failures that are about the token itself. Others (JWKS fetch timeout, invalid JWKS)
// are about the key source and must not turn into a misleading 401.
const TOKEN_ERRORS: readonly (new (...args: never[]) => Error)[] = [
  joseErrors.JWTExpired,
  joseErrors.JWTClaimValidationFailed,
  joseErrors.JWTInvalid,
  joseErrors.JWSInvalid,
  joseErrors.JWSSignatureVerificationFailed,
  joseErrors.JOSEAlgNotAllowed,
  joseErrors.JOSENotSupported,
  joseErrors.JWKSNoMatchingKey,
  joseErrors.JWKSMultipleMatchingKeys,
];

/**
 * Bearer-token verification with jose. Key by algorithm: HS256 → the shared secret; ES256/RS256
 * → Supabase's JWKS. `alg: none` and any other algorithm are refused before any key is
 * consulted. Claims required: exp, iss, aud, a UUID `sub` and role `authenticated` — Supabase's
 * anon and service-role keys are valid JWTs without a `sub`, and must not pass as users.
 */
export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  const now = opts.now ?? Date.now;
  // Imported once: passing raw bytes makes jose import the key on every verification.
  const secret = opts.hs256
    ? crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(opts.hs256.secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      )
    : undefined;
  const jwks: JWTVerifyGetKey | undefined = opts.jwks
    ? createJwksKeySource({
        url: opts.jwks.url,
        cacheMaxAgeMs: opts.jwks.cacheMaxAgeMs ?? 600_000,
        timeoutMs: opts.jwks.timeoutMs ?? 3000,
      })
    : undefined;
  const clockTolerance = opts.clockToleranceS ?? 5;
  const maxEntries = opts.cache?.maxEntries ?? 10_000;
  const ttlMs = opts.cache?.ttlMs ?? 60_000;
  const cache = new Map<string, { user: AuthUser; until: number }>();

  const verifyPayload = async (token: string): Promise<JWTPayload> => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch (err) {
      throw new InvalidTokenError('malformed token', err);
    }
    const common = {
      audience: opts.audience,
      requiredClaims: ['exp', 'sub'],
      clockTolerance,
      currentDate: new Date(now()),
    };
    try {
      if (alg === 'HS256' && secret && opts.hs256) {
        const { payload } = await jwtVerify(token, await secret, {
          ...common,
          algorithms: ['HS256'],
          issuer: opts.hs256.issuer,
        });
        return payload;
      }
      if ((alg === 'ES256' || alg === 'RS256') && jwks && opts.jwks) {
        const { payload } = await jwtVerify(token, jwks, {
          ...common,
          algorithms: ['ES256', 'RS256'],
          issuer: opts.jwks.issuer,
        });
        return payload;
      }
    } catch (err) {
      if (TOKEN_ERRORS.some((E) => err instanceof E))
        throw new InvalidTokenError('token rejected', err);
      throw err;
    }
    throw new InvalidTokenError(`algorithm not accepted: ${String(alg)}`);
  };

  const remember = (token: string, user: AuthUser, expS: number): void => {
    if (maxEntries <= 0) return;
    if (cache.size >= maxEntries) {
      // Map iterates in insertion order: drop the oldest entry.
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(token, { user, until: Math.min(now() + ttlMs, expS * 1000) });
  };

  return {
    async verify(token) {
      const hit = cache.get(token);
      if (hit) {
        if (hit.until > now()) return hit.user;
        cache.delete(token);
      }
      const payload = await verifyPayload(token);
      if (typeof payload.sub !== 'string' || !UUID.test(payload.sub))
        throw new InvalidTokenError('sub is not a user id');
      if (payload.role !== 'authenticated')
        throw new InvalidTokenError('role is not authenticated');
      const user: AuthUser = {
        id: payload.sub.toLowerCase(),
        email: typeof payload.email === 'string' ? payload.email : null,
        role: payload.role,
        // Supabase's app_metadata is writable by the service role only (never by the user):
        // where an operator grants `{"role": "admin"}` (the queue dashboard's check).
        ...appRoleOf(payload),
      };
      remember(token, user, payload.exp!);
      return user;
    },
  };
}

function appRoleOf(payload: Record<string, unknown>): { appRole?: string } {
  const meta = payload.app_metadata;
  const role =
    typeof meta === 'object' && meta !== null ? (meta as { role?: unknown }).role : undefined;
  return typeof role === 'string' ? { appRole: role } : {};
}

import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  type JWTVerifyGetKey,
} from 'jose';

export interface JwksKeySourceOptions {
  url: string;
  /** A key set older than this is fetched again before it is used (jose's cacheMaxAge). */
  cacheMaxAgeMs: number;
  /** One fetch of the key set may take this long. */
  timeoutMs: number;
  /** After a failed fetch, the endpoint is not asked again for this long. Default 5 s. */
  retryAfterFailureMs?: number;
}

/**
 * True for a failure of the key source itself (unreachable, timed out, not a key set), false
 * for a verdict on the token (no key with its kid, an unsupported algorithm).
 */
const isSourceFailure = (err: unknown): boolean =>
  !(err instanceof joseErrors.JOSEError) ||
  err instanceof joseErrors.JWKSTimeout ||
  err instanceof joseErrors.JWKSInvalid ||
  // jose's plain JOSEError: "Expected 200 OK …", "Failed to parse … as JSON".
  err.code === 'ERR_JOSE_GENERIC';

/**
 * jose's remote JWKS with stale-if-error. On its own, jose fetches a key set older than
 * cacheMaxAge before every verification and throws when that fetch fails: an auth-provider
 * outage longer than the cache age would turn every signed-in request into a 503 although the
 * keys those tokens were signed with are in memory. Here a failed fetch falls back to the keys
 * held: a token whose kid is among them still verifies; an unknown kid stays "unavailable"
 * (the provider may have rotated that key in while it could not be asked — a 401 would sign
 * its user out). After a failure the endpoint is left alone for retryAfterFailureMs, so an
 * outage costs one fetch timeout per period, not one per request. Recovery needs no restart:
 * the first fetch that succeeds replaces the held set.
 */
export function createJwksKeySource(opts: JwksKeySourceOptions): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(opts.url), {
    cacheMaxAge: opts.cacheMaxAgeMs,
    timeoutDuration: opts.timeoutMs,
    // jose's default (30 s) unless the cache is shorter: an unknown kid refetches at most this often.
    cooldownDuration: Math.min(30_000, opts.cacheMaxAgeMs),
  });
  const retryAfterFailureMs = opts.retryAfterFailureMs ?? 5000;
  let failure: { at: number; error: unknown } | undefined;

  const fromHeld = async (
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
    sourceError: unknown,
  ) => {
    const held = remote.jwks();
    if (!held) throw sourceError;
    try {
      return await createLocalJWKSet(held)(header, token);
    } catch (err) {
      // Not among the keys held: unknown while the provider cannot be asked.
      if (err instanceof joseErrors.JWKSNoMatchingKey) throw sourceError;
      throw err;
    }
  };

  return async (header, token) => {
    if (failure && Date.now() - failure.at < retryAfterFailureMs)
      return fromHeld(header, token, failure.error);
    try {
      const key = await remote(header, token);
      failure = undefined;
      return key;
    } catch (err) {
      if (!isSourceFailure(err)) throw err;
      failure = { at: Date.now(), error: err };
      return fromHeld(header, token, err);
    }
  };
}
